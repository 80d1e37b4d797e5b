import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { describeWithServices, waitFor } from '@overcast/test-kit';
import { startOriginalClientsStack, type OriginalClientsStack } from './original-clients-harness';

// travis-ci/pudding's examples/simple/init-script.tmpl.bash (kept byte for byte in pudding-example/: the input this
// replays, as the other suites keep their clients' request bytes) as the operator's INIT_SCRIPT_TEMPLATE_FILE. An
// instance build boots; the test does what cloud-init does with the user data (fetch the `#include` URL, with the
// build's credentials in it) and runs the script with bash, then runs the start and stop hooks it wrote, whose
// real curl calls back /instance-launches and /instance-terminations with those credentials.

const run = promisify(execFile);
const here = join(__dirname, 'pudding-example');
const ec2InstanceId = 'i-0a1b2c3d';
const rsaKey = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----';

describeWithServices("pudding's example init script, unmodified, against Overcast", () => {
  let stack: OriginalClientsStack;
  let sandbox: string;

  beforeAll(async () => {
    stack = await startOriginalClientsStack({
      INIT_SCRIPT_TEMPLATE_FILE: join(here, 'init-script.tmpl.bash'),
      // What pudding's operators kept in its environment: env_for `RSA_KEY` `site` `env` reads RSA_KEY_ORG_TEST.
      RSA_KEY_ORG_TEST: gzipSync(rsaKey).toString('base64'),
    });
    sandbox = mkdtempSync(join(tmpdir(), 'pudding-example-'));
  });

  afterAll(async () => {
    await stack?.close();
    if (sandbox) rmSync(sandbox, { recursive: true, force: true });
  });

  const bash = (file: string, cwd: string) =>
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
        image: 'ami-1',
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

    await bash(script, sandbox);
    const app = join(sandbox, 'app');
    expect(readFileSync(join(app, 'id_rsa'), 'utf8')).toBe(`${rsaKey}\n`);

    const launched = await bash(join(app, 'start-hook'), app);
    expect(JSON.parse(launched.stdout)).toEqual({ yay: ec2InstanceId });
    const terminated = await bash(join(app, 'stop-hook'), app);
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
