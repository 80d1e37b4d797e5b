import type { FakeOvercastServer } from '@overcast/sdk/testing';
import { startFakeOvercastServer } from '@overcast/sdk/testing';
import type { CliSandbox } from './run-overcast';
import { createCliSandbox } from './run-overcast';

describe('overcast api (any operation, as gh api)', () => {
  let server: FakeOvercastServer;
  let cli: CliSandbox;
  const stdin = (text: string) => ({ readStdin: () => Promise.resolve(text) });

  beforeEach(async () => {
    server = await startFakeOvercastServer();
    cli = createCliSandbox({ OVERCAST_URL: server.url, OVERCAST_TOKEN: server.developerToken });
  });
  afterEach(async () => {
    await server.close();
    cli.remove();
  });

  it('GETs a path with the configured token and prints the JSON answer, which --jq filters', async () => {
    const result = await cli.run(['api', '/quotas']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ quotas: [{ name: 'instances', limit: 100, used: 0 }, {}, {}] });
    expect(await cli.run(['api', '/quotas', '--json', '--jq', '.quotas[0].limit'])).toEqual({
      code: 0,
      stdout: '100\n',
      stderr: '',
    });
  });

  it('POSTs the body from standard input with the headers given, as the reference page’s samples do', async () => {
    const body = JSON.stringify({ provider: 'local', image: 'img-1' });
    const created = await cli.run(
      ['api', '/instances', '-X', 'POST', '-H', 'Idempotency-Key: same-key', '--input', '-'],
      {},
      stdin(body),
    );
    expect(created.code).toBe(0);
    const instance = JSON.parse(created.stdout) as { id: string; state: string };
    expect(instance.state).toBe('creating');
    const again = await cli.run(
      ['api', '/instances', '-H', 'Idempotency-Key: same-key', '--input', '-'],
      {},
      stdin(body),
    );
    expect((JSON.parse(again.stdout) as { id: string }).id).toBe(instance.id);
    const read = await cli.run(['api', `/instances/${instance.id}`]);
    expect(JSON.parse(read.stdout)).toMatchObject({ id: instance.id, provider: 'local' });
  });

  it('prints a text answer as it came', async () => {
    expect(await cli.run(['api', '/'])).toEqual({ code: 0, stdout: 'ohai\n', stderr: '' });
  });

  it('reports an error answer as one line with its code, and a path without / as a usage error', async () => {
    const missing = await cli.run(['api', '/instances/00000000-0000-4000-8000-000000000000']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^overcast: .*\[HTTP 404 not_found, request [\w-]+\]\n$/);
    const relative = await cli.run(['api', 'instances']);
    expect(relative).toEqual({ code: 2, stdout: '', stderr: 'overcast: the path must start with /: instances\n' });
  });
});
