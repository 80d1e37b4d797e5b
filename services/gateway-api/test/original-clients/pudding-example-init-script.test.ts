import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { describeWithServices, waitFor } from '@overcast/test-kit';
import { startOriginalClientsStack, type OriginalClientsStack } from './original-clients-harness';

// An operator's init-script template in pudding's template language (pudding-example/init-script.tmpl.bash, written
// for this suite: every construct and context field an operator's pudding template uses, the callback URLs with the
// build's credentials, env, env_for | uncompress) as the broker's INIT_SCRIPT_TEMPLATE_FILE. An instance build boots;
// the test does what cloud-init does with the user data (fetch the `#include` URL, with the build's credentials in
// it) and runs the script with bash, then runs the launch, heartbeat and termination hooks it wrote, whose real curl
// calls back /instance-launches, /instance-heartbeats and /instance-terminations with those credentials.

const run = promisify(execFile);
const here = join(__dirname, 'pudding-example');
const deployKey = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----';

describeWithServices("an operator's pudding init-script template against Overcast", () => {
  let stack: OriginalClientsStack;
  let sandbox: string;

  beforeAll(async () => {
    stack = await startOriginalClientsStack({
      INIT_SCRIPT_TEMPLATE_FILE: join(here, 'init-script.tmpl.bash'),
      // What an operator keeps in the broker's environment: env_for "DEPLOY_KEY" `site` `env` reads DEPLOY_KEY_ORG_TEST.
      DEPLOY_KEY_ORG_TEST: gzipSync(deployKey).toString('base64'),
      WORKER_LOG_LEVEL: 'debug',
    });
    sandbox = mkdtempSync(join(tmpdir(), 'pudding-example-'));
  });

  afterAll(async () => {
    await stack?.close();
    if (sandbox) rmSync(sandbox, { recursive: true, force: true });
  });

  const bash = (file: string, cwd: string, ec2InstanceId: string) =>
    run('bash', [file], {
      cwd,
      timeout: 20_000,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        BASH_ENV: join(here, 'machine-shims.bash'),
        SANDBOX: sandbox,
        FAKE_EC2_INSTANCE_ID: ec2InstanceId,
      },
    });

  it('renders, runs to completion, and its hooks call back with the build’s credentials', async () => {
    const build = {
      instance_builds: {
        site: 'org',
        env: 'test',
        queue: 'docker',
        instance_type: 'c3.2xlarge',
        count: 2,
        image: 'standard-image',
      },
    };
    const accepted = await fetch(`${stack.gateway.url}/instance-builds?slack-channel=ops`, {
      method: 'POST',
      headers: { authorization: `token ${stack.token}` },
      body: JSON.stringify(build),
    });
    expect(accepted.status).toBe(202);
    const buildId = ((await accepted.json()) as { instance_builds: { id: string }[] }).instance_builds[0]?.id ?? '';

    // cloud-init: `#include <url>` in the user data, fetched as given (curl sends the userinfo as Basic).
    const userData = await waitFor(
      'the build’s instance',
      () => stack.broker.created.find((input) => input.tags?.['instance-build-id'] === buildId)?.userData,
    );
    const include = /^#include (\S+)\n$/.exec(userData ?? '')?.[1] ?? '';
    expect(include).toMatch(new RegExp(`^http://x:[0-9a-f]+@127\\.0\\.0\\.1:\\d+/init-scripts/${buildId}$`));
    const script = join(sandbox, 'init-script');
    await run('curl', ['-s', '-f', '-o', script, include]);
    expect(readFileSync(script, 'utf8')).not.toContain('{{');

    // The instance's EC2-style id, as its metadata service would answer it: i- and its id's first 8 hex digits.
    const instanceId = await waitFor('the build’s instance id', async () => {
      const answer = await fetch(`${stack.gateway.url}/instance-builds/${buildId}`, {
        headers: { authorization: `token ${stack.token}` },
      });
      return ((await answer.json()) as { instance_builds: { instance_ids: string[] }[] }).instance_builds[0]
        ?.instance_ids[0];
    });
    const ec2InstanceId = `i-${instanceId.slice(0, 8)}`;

    await bash(script, sandbox, ec2InstanceId);
    const app = join(sandbox, 'app');
    expect(readFileSync(join(app, 'deploy-key'), 'utf8')).toBe(`${deployKey}\n`);
    expect(readFileSync(join(app, 'worker.env'), 'utf8')).toBe(
      'WORKER_CONCURRENCY=2\nWORKER_LOG_LEVEL=debug\nWORKER_NOTIFY=ops\n',
    );

    const launched = await bash(join(app, 'on-launch'), app, ec2InstanceId);
    expect(JSON.parse(launched.stdout)).toEqual({ yay: ec2InstanceId });
    const heartbeat = await bash(join(app, 'on-heartbeat'), app, ec2InstanceId);
    expect(JSON.parse(heartbeat.stdout)).toMatchObject({ id: instanceId, expected_state: 'up' });
    const terminated = await bash(join(app, 'on-terminate'), app, ec2InstanceId);
    expect(JSON.parse(terminated.stdout)).toEqual({ yay: ec2InstanceId });

    // Recorded and notified as pudding did, to the channel its hooks name.
    const notices = await waitFor('both notices', () => {
      const mine = stack.broker.notifications.filter((notice) => notice.text.includes(buildId));
      return mine.length >= 3 && mine;
    });
    expect(notices).toEqual(
      expect.arrayContaining([
        { channel: 'ops', text: expect.stringContaining(`Instance \`${ec2InstanceId}\` is in service :arrow_up:`) },
        {
          channel: 'ops',
          text: expect.stringContaining(`Instance \`${ec2InstanceId}\` is out of service :arrow_down:`),
        },
      ]),
    );
  });

  it("answers pudding's pinned statuses: 400 to a body that is not JSON, 404 to another build's secret", async () => {
    const target = `${stack.gateway.url}/instance-launches/5f1a0e7c-4c6a-4e0a-9a53-2f3b8c1d9e01`;
    const broken = await fetch(target, {
      method: 'POST',
      headers: { authorization: `token ${stack.token}` },
      body: '{',
    });
    expect(broken.status).toBe(400);
    expect((await broken.json()) as { errors: unknown[] }).toMatchObject({ errors: [{ details: expect.any(String) }] });
    const wrong = await fetch(target, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('x:not-the-secret').toString('base64')}` },
      body: '{"instance_id":"i-abcd123"}',
    });
    expect(wrong.status).toBe(404);
  });
});
