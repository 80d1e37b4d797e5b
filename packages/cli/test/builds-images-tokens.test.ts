import type { FakeOvercastServer } from '@overcast/sdk/testing';
import { startFakeOvercastServer } from '@overcast/sdk/testing';
import type { CliSandbox } from './run-overcast';
import { createCliSandbox } from './run-overcast';

describe('overcast builds, images and tokens', () => {
  let server: FakeOvercastServer;
  let cli: CliSandbox;

  beforeEach(async () => {
    server = await startFakeOvercastServer();
    cli = createCliSandbox({ OVERCAST_URL: server.url, OVERCAST_TOKEN: server.adminToken });
  });
  afterEach(async () => {
    await server.close();
    cli.remove();
  });

  it('registers, lists and activates images', async () => {
    const first = await cli.run([
      '--json',
      'images',
      'register',
      '--provider',
      'local',
      '--image-id',
      'img-1',
      '--role',
      'worker',
      '--name',
      'w1',
      '--active',
    ]);
    expect(first.code).toBe(0);
    const second = await cli.run([
      'images',
      'register',
      '--provider',
      'local',
      '--image-id',
      'img-2',
      '--role',
      'worker',
      '--name',
      'w2',
    ]);
    expect(second.stdout).toMatch(
      /^ID\s+PROVIDER\s+IMAGE ID\s+ROLE\s+NAME\s+ACTIVE\s+STATE\s+CREATED\n\S+\s+local\s+img-2\s+worker\s+w2\s+no\s+available/,
    );
    const active = await cli.run(['images', 'list', '--active']);
    expect(active.stdout.trimEnd().split('\n').slice(1)).toEqual([
      expect.stringMatching(/\simg-1\s+worker\s+w1\s+yes\s/),
    ]);
    const secondId = second.stdout.split('\n')[1]?.split(/\s+/)[0] ?? '';
    expect(await cli.run(['images', 'activate', secondId])).toMatchObject({
      code: 0,
      stdout: 'image img-2 is now active for local/worker\n',
    });
    const listed = JSON.parse((await cli.run(['images', 'list', '--active', '--json'])).stdout) as {
      images: { image_id: string }[];
    };
    expect(listed.images.map((image) => image.image_id)).toEqual(['img-2']);
    expect((await cli.run(['images', 'list', '--active', '--inactive'])).code).toBe(2);
  });

  it('starts a build with every flag and reads it back', async () => {
    const created = await cli.run([
      '--json',
      'builds',
      'create',
      '--site',
      'org',
      '--env',
      'staging',
      '--queue',
      'docker',
      '--role',
      'worker',
      '--count',
      '3',
      '--instance-type',
      'premium',
      '--provider',
      'aws',
      '--image',
      'ami-1',
      '--slack-channel',
      'ops',
    ]);
    expect(created.code).toBe(0);
    const build = JSON.parse(created.stdout) as { id: string };
    expect(build).toMatchObject({
      site: 'org',
      env: 'staging',
      queue: 'docker',
      role: 'worker',
      count: 3,
      instance_type: 'premium',
      provider: 'aws',
      image: 'ami-1',
      slack_channel: 'ops',
      state: 'pending',
    });
    const shown = await cli.run(['builds', 'get', build.id]);
    expect(shown.stdout).toContain(
      `id             ${build.id}\nstate          pending\nsite / env     org / staging\n`,
    );
  });

  it('reports a build that has no image to boot as one line, exit 1', async () => {
    const result = await cli.run([
      'builds',
      'create',
      '--site',
      'org',
      '--env',
      'staging',
      '--queue',
      'docker',
      '--role',
      'worker',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^overcast: no active image for provider local and role worker \(body\.instance_builds\.image\) \[HTTP 422 unprocessable/,
    );
  });

  it('creates a token shown once, lists it without the secret, and revokes it', async () => {
    const created = await cli.run(['tokens', 'create', 'deploy bot', '--role', 'developer']);
    expect(created.code).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^\d+-[0-9a-f]{32}$/);
    expect(created.stderr).toContain('this is the only time its secret is shown');
    const listed = await cli.run(['tokens', 'list']);
    expect(listed.stdout).toMatch(/^ID\s+ROLE\s+DESCRIPTION\s+CREATED\s+LAST USED\n/);
    expect(listed.stdout).toContain('deploy bot');
    expect(listed.stdout).not.toContain(secret);
    const id = secret.split('-')[0] ?? '';
    expect(await cli.run(['tokens', 'revoke', id])).toMatchObject({ code: 0, stdout: `token ${id} revoked\n` });
    expect((await cli.run(['status'], { OVERCAST_TOKEN: secret })).code).toBe(3);
  });

  it('refuses admin commands to a developer with exit 3', async () => {
    const result = await cli.run(['tokens', 'create', 'x'], { OVERCAST_TOKEN: server.developerToken });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^overcast: this operation needs the admin role \[HTTP 403 forbidden/);
  });

  it('shows the platform status as a table', async () => {
    server.state.services.push({ service: 'registry', status: 'down' });
    const result = await cli.run(['status']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^overcast is degraded\nSERVICE\s+STATUS\s+LATENCY\ngateway-api\s+up\s+0ms\ninstance-broker\s+up\s+3ms\nregistry\s+down\s+-\n$/,
    );
  });
});
