import { describeWithServices, waitFor } from '@overcast/test-kit';
import { send, startOriginalClientsStack, type OriginalClientsStack } from './original-clients-harness';

// pudding's POST /instance-heartbeats/{build} as a booting instance's script calls it: curl with the build's
// credentials in the URL ({{ .InstanceHeartbeatURL }}), `-d instance-id=<its id>` (a real form), reading the bare
// instance and its `expected_state` from the answer.

interface Booted {
  buildId: string;
  instanceId: string;
  credentials: string;
}

describeWithServices("pudding's instance heartbeats against Overcast", () => {
  let stack: OriginalClientsStack;

  beforeAll(async () => {
    stack = await startOriginalClientsStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** A build on the fake provider; its user data's `#include` URL carries the build's `x:<secret>`. */
  async function bootBuild(): Promise<Booted> {
    const body = JSON.stringify({
      instance_builds: {
        site: 'org',
        env: 'test',
        queue: 'docker',
        instance_type: 'c3.2xlarge',
        count: 2,
        ami: 'standard-image',
      },
    });
    const headers: [string, string][] = [['Authorization', `token ${stack.token}`]];
    const accepted = await send(stack, 'POST', '/instance-builds', headers, body);
    expect(accepted.status).toBe(202);
    const buildId = (JSON.parse(accepted.body) as { instance_builds: { id: string }[] }).instance_builds[0]?.id ?? '';
    const userData = await waitFor(
      'the build’s instance',
      () => stack.broker.created.find((input) => input.tags?.['instance-build-id'] === buildId)?.userData,
    );
    const include = new URL(/^#include (\S+)\n$/.exec(userData ?? '')?.[1] ?? '');
    const credentials = Buffer.from(`${include.username}:${include.password}`).toString('base64');
    const instanceId = await waitFor('the build’s instance id', async () => {
      const build = await send(stack, 'GET', `/instance-builds/${buildId}`, headers);
      return (JSON.parse(build.body) as { instance_builds: { instance_ids: string[] }[] }).instance_builds[0]
        ?.instance_ids[0];
    });
    return { buildId, instanceId, credentials };
  }

  /** curl -s -u x:<secret> -d instance-id=<id> <url> */
  function heartbeat(build: Booted, body: string, target = `/instance-heartbeats/${build.buildId}`) {
    return send(
      stack,
      'POST',
      target,
      [
        ['Authorization', `Basic ${build.credentials}`],
        ['User-Agent', 'curl/7.88.1'],
        ['Accept', '*/*'],
        ['Content-Type', 'application/x-www-form-urlencoded'],
      ],
      body,
    );
  }

  it('answers the bare instance with expected_state up, by its id or i-<8 hex digits>, and down once terminating', async () => {
    const build = await bootBuild();
    const answered = await heartbeat(build, `instance-id=${build.instanceId}`);
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.body)).toMatchObject({
      id: build.instanceId,
      name: expect.stringMatching(/^worker-org-test-docker-[0-9a-f]{8}$/),
      site: 'org',
      env: 'test',
      queue: 'docker',
      expected_state: 'up',
    });
    const short = await heartbeat(
      build,
      '',
      `/instance-heartbeats/${build.buildId}?instance-id=i-${build.instanceId.slice(0, 8)}`,
    );
    expect(JSON.parse(short.body)).toMatchObject({ id: build.instanceId, expected_state: 'up' });

    const terminated = await send(stack, 'DELETE', `/instances/${build.instanceId}`, [
      ['Authorization', `token ${stack.token}`],
    ]);
    expect(terminated.status).toBeLessThan(300);
    const after = await heartbeat(build, `instance-id=${build.instanceId}`);
    expect(JSON.parse(after.body)).toMatchObject({ id: build.instanceId, expected_state: 'down' });
  });

  it('answers 400 without instance-id, 404 unknown instance for an instance of another build, 404 for a wrong secret', async () => {
    const build = await bootBuild();
    const other = await bootBuild();
    const missing = await heartbeat(build, '');
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body)).toMatchObject({ errors: [{ details: 'empty "instance-id" param' }] });

    const foreign = await heartbeat(build, `instance-id=${other.instanceId}`);
    expect(foreign.status).toBe(404);
    expect(JSON.parse(foreign.body)).toMatchObject({ errors: [{ details: 'unknown instance' }] });

    const wrong = await heartbeat({ ...other, credentials: build.credentials }, `instance-id=${other.instanceId}`);
    expect(wrong.status).toBe(404);
    expect(JSON.parse(wrong.body)).toMatchObject({ errors: [{ details: 'instance build not found' }] });
  });
});
