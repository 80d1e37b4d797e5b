import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { createLogger } from '@overcast/service-kit';
import { createTestDatabase, describeWithServices, waitFor, type TestDatabase } from '@overcast/test-kit';
import { parseStandaloneConfig } from '../src/config';
import { startStandalone, type Standalone } from '../src/standalone';

const logger = createLogger({ service: 'standalone-pudding-test', level: 'silent' });
const run = promisify(execFile);

/** The compatibility suite's operator template (pudding's template language, EC2 metadata, the three callbacks). */
const template = path.join(
  __dirname,
  ...['..', '..', 'gateway-api', 'test', 'original-clients', 'pudding-example', 'init-script.tmpl.bash'],
);
const deployKey = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----';

// Issue 12's "pudding's example init script runs to completion including its callbacks", on pnpm start's composition:
// the operator's catalog (LOCAL_IMAGES_FILE) has an image whose instances get EC2's metadata service; a build boots
// one, its boot agent fetches the rendered template and runs it with bash for real (its curl to 169.254.169.254
// answered by the local provider), and the hooks it wrote call back with the build's credentials.
describeWithServices("an operator's pudding init script on a local instance of pnpm start", () => {
  let dataDir: string;
  let testDatabase: TestDatabase;
  let standalone: Standalone;
  let slack: Server;
  const notices: { channel?: string; text: string }[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'overcast-pudding-vm-'));
    testDatabase = await createTestDatabase();
    slack = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        notices.push(JSON.parse(body) as { channel?: string; text: string });
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', resolve));
    const images = path.join(dataDir, 'images.json');
    await writeFile(
      images,
      JSON.stringify({
        'pudding-vm': {
          description: 'an EC2-like worker machine for pudding init scripts',
          roles: ['worker'],
          instanceMetadata: true,
          env: { BASH_ENV: path.join(__dirname, 'pudding-vm', 'machine.bash') },
          createdAt: '2026-12-01T00:00:00Z',
        },
      }),
    );
    const config = parseStandaloneConfig({
      PORT: '0',
      OVERCAST_DATA_DIR: dataDir,
      DATABASE_URL: testDatabase.url,
      LOCAL_IMAGES_FILE: images,
      LOCAL_ADDRESS_PREFIX: `127.${170 + Math.floor(Math.random() * 20)}`,
      INIT_SCRIPT_TEMPLATE_FILE: template,
      DEPLOY_KEY_ORG_TEST: gzipSync(deployKey).toString('base64'),
      WORKER_LOG_LEVEL: 'debug',
      SLACK_WEBHOOK_URL: `http://127.0.0.1:${(slack.address() as { port: number }).port}/hook`,
    });
    standalone = await startStandalone({ config, logger });
  });

  afterAll(async () => {
    await standalone?.stop();
    await testDatabase?.drop();
    await new Promise((resolve) => slack?.close(resolve));
    await rm(dataDir, { recursive: true, force: true });
  });

  async function send<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${standalone.url}${route}`, {
      method,
      headers: { authorization: `token ${standalone.adminToken}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300)
      throw new Error(`${method} ${route} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }

  it('boots the catalog’s image, runs the rendered script to completion, and its hooks call back', async () => {
    // One catalog: GET /images lists the operator's image, and the build boots it.
    const images = await send<{ images: { image_id: string; provider: string }[] }>('GET', '/images?provider=local');
    expect(images.images.map((image) => image.image_id)).toEqual(['pudding-vm']);

    const accepted = await send<{ instance_builds: { id: string }[] }>('POST', '/instance-builds?slack-channel=ops', {
      instance_builds: {
        site: 'org',
        env: 'test',
        queue: 'docker',
        role: 'worker',
        instance_type: 'c3.2xlarge',
        count: 2,
      },
    });
    const buildId = accepted.instance_builds[0]?.id ?? '';
    const build = await waitFor('the build’s instance', async () => {
      const shown = await send<{ instance_builds: { image: string; instance_ids: string[] }[] }>(
        'GET',
        `/instance-builds/${buildId}`,
      );
      return shown.instance_builds[0]?.instance_ids[0] ? shown.instance_builds[0] : undefined;
    });
    expect(build.image).toBe('pudding-vm');
    const instanceId = build.instance_ids[0] ?? '';
    const ec2InstanceId = `i-${instanceId.slice(0, 8)}`;

    const home = path.join(dataDir, 'local', 'instances', instanceId, 'home');
    const console = await waitFor(
      'the init script to finish',
      async () => {
        const text = await readFile(path.join(home, '..', 'console.log'), 'utf8').catch(() => '');
        return /init-scripts\/\S+ finished with/.test(text) ? text : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(console).toMatch(/init-scripts\/\S+ finished with exit code 0/);
    const app = path.join(home, 'app');
    expect(await readFile(path.join(app, 'deploy-key'), 'utf8')).toBe(`${deployKey}\n`);
    expect(await readFile(path.join(app, 'worker.env'), 'utf8')).toBe(
      'WORKER_CONCURRENCY=2\nWORKER_LOG_LEVEL=debug\nWORKER_NOTIFY=ops\n',
    );
    // The instance id the script got from the metadata service is in the hooks it wrote.
    expect(await readFile(path.join(app, 'on-launch'), 'utf8')).toContain(ec2InstanceId);

    // The hooks, run as the worker's service manager would (they reach the gateway on loopback, never the proxy).
    const hook = async (name: string) =>
      (await run('bash', [path.join(app, name)], { cwd: app, timeout: 20_000, env: { PATH: process.env.PATH } }))
        .stdout;
    expect(JSON.parse(await hook('on-launch'))).toEqual({ yay: ec2InstanceId });
    expect(JSON.parse(await hook('on-heartbeat'))).toMatchObject({ id: instanceId, expected_state: 'up' });
    expect(JSON.parse(await hook('on-terminate'))).toEqual({ yay: ec2InstanceId });

    const mine = await waitFor('the in- and out-of-service notices', () => {
      const found = notices.filter((notice) => notice.text.includes(ec2InstanceId));
      return found.length >= 2 ? found : undefined;
    });
    expect(mine).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          channel: '#ops',
          text: expect.stringContaining(`Instance \`${ec2InstanceId}\` is in service :arrow_up:`),
        }),
        expect.objectContaining({
          channel: '#ops',
          text: expect.stringContaining(`Instance \`${ec2InstanceId}\` is out of service :arrow_down:`),
        }),
      ]),
    );
    await send('DELETE', `/instances/${instanceId}`).catch(() => undefined);
  });
});
