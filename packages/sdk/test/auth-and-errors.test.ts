import { createClient, OvercastApiError, OvercastConnectionError } from '../src';
import type { SpecCheckedServer } from './support/spec-checked-server';
import { startSpecCheckedServer } from './support/spec-checked-server';

describe('tokens, login, status and failures against a gateway answering per the spec', () => {
  let gateway: SpecCheckedServer;
  const clientWith = (token?: string) =>
    createClient({ baseUrl: gateway.server.url, ...(token === undefined ? {} : { token }), fetch: gateway.fetch });

  beforeEach(async () => {
    gateway = await startSpecCheckedServer();
  });
  afterEach(async () => {
    await gateway.server.close();
    expect(gateway.problems).toEqual([]);
  });

  it('creates a token that works at once, lists it without its secret, and revokes it', async () => {
    const admin = clientWith(gateway.server.adminToken);
    const created = await admin.tokens.create({ description: 'deploy bot' });
    expect(created).toMatchObject({
      description: 'deploy bot',
      role: 'developer',
      token: expect.stringMatching(/^\d+-[0-9a-f]{32}$/),
    });
    const bot = clientWith(created.token);
    expect((await bot.tokens.list()).map((token) => token.id)).toEqual([created.id]);
    expect(JSON.stringify(await admin.tokens.list())).not.toContain(created.token);
    await bot.tokens.revoke(created.id);
    await expect(bot.status()).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
  });

  it('refuses admin operations to developers with 403', async () => {
    const developer = clientWith(gateway.server.developerToken);
    await expect(developer.tokens.create({ description: 'x' })).rejects.toMatchObject({
      status: 403,
      code: 'forbidden',
    });
  });

  it('logs in with a GitHub token and uses the token it gets', async () => {
    const anonymous = clientWith();
    const { login, token } = await anonymous.login('gh-octocat');
    expect(login).toBe('octocat');
    expect(gateway.server.requests.at(-1)?.headers['x-github-token']).toBe('gh-octocat');
    expect((await clientWith(token).status()).status).toBe('ok');
    await expect(anonymous.login('gh-stranger')).rejects.toMatchObject({ status: 401 });
  });

  it('reports a degraded platform', async () => {
    gateway.server.state.services.push({ service: 'registry', status: 'down' });
    const status = await clientWith(gateway.server.developerToken).status();
    expect(status.status).toBe('degraded');
    expect(status.services.map((service) => `${service.service}:${service.status}`)).toContain('registry:down');
  });

  it('answers 401 without a token', async () => {
    await expect(clientWith().instances.list()).rejects.toMatchObject({
      status: 401,
      message: 'authorization header required',
    });
  });

  it('turns an unreachable gateway into OvercastConnectionError', async () => {
    const url = gateway.server.url;
    await gateway.server.close();
    const offline = createClient({ baseUrl: url, token: 't' });
    const error = await offline.status().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OvercastConnectionError);
    expect((error as Error).message).toBe(`cannot reach ${url}: ECONNREFUSED`);
    gateway.server.close = () => Promise.resolve();
  });

  it('names a code from the status when the error body is not the envelope', async () => {
    const proxy = createClient({
      baseUrl: 'http://overcast.invalid',
      fetch: () =>
        Promise.resolve(
          new Response('<html>bad gateway</html>', {
            status: 502,
            statusText: 'Bad Gateway',
            headers: { 'X-Request-ID': 'req-7' },
          }),
        ),
    });
    const error = await proxy.status().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OvercastApiError);
    expect(error).toMatchObject({
      status: 502,
      code: 'unavailable',
      message: 'HTTP 502 Bad Gateway',
      requestId: 'req-7',
    });
  });
});
