import type { FakeOvercastServer } from '@overcast/sdk/testing';
import { startFakeOvercastServer } from '@overcast/sdk/testing';
import type { CliSandbox } from './run-overcast';
import { createCliSandbox } from './run-overcast';

describe('overcast quotas', () => {
  let server: FakeOvercastServer;
  let cli: CliSandbox;

  beforeEach(async () => {
    server = await startFakeOvercastServer();
    cli = createCliSandbox({ OVERCAST_URL: server.url, OVERCAST_TOKEN: server.developerToken });
  });
  afterEach(async () => {
    await server.close();
    cli.remove();
  });

  const create = () => cli.run(['instances', 'create', '--provider', 'local', '--image', 'img-1']);

  it('shows each quota with what is in use and what is left', async () => {
    expect((await create()).code).toBe(0);
    const result = await cli.run(['quotas']);
    expect(result).toEqual({
      code: 0,
      stdout: expect.stringMatching(
        /^QUOTA\s+USED\s+LIMIT\s+LEFT\ninstances\s+1\s+100\s+99\ndistricts\s+0\s+100\s+100\napps\s+0\s+10000\s+10000\n$/,
      ),
      stderr: '',
    });
    expect(JSON.parse((await cli.run(['quotas', '--json'])).stdout)).toEqual({
      quotas: [
        { name: 'instances', limit: 100, used: 1 },
        { name: 'districts', limit: 100, used: 0 },
        { name: 'apps', limit: 10_000, used: 0 },
      ],
    });
  });

  it('reports a create refused for want of quota as one line naming the quota, exit 1 (not an authentication failure)', async () => {
    server.state.instanceQuota = 1;
    expect((await create()).code).toBe(0);
    const refused = await create();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^overcast: instances quota exceeded: 1 of 1 in use, 1 requested \(quota\.instances\) \[HTTP 403 quota_exceeded, request [\w-]+\]\n$/,
    );
    expect((await cli.run(['quotas'])).stdout).toMatch(/\ninstances\s+1\s+1\s+0\n/);
  });
});
