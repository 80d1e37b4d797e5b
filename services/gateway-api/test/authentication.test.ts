import type { Database } from '@overcast/db';
import { describeWithPostgres, waitFor, type TestDatabase } from '@overcast/test-kit';
import { specCheckedFetch } from './support/spec-conformance';
import {
  authorization,
  createToken,
  openMigratedDatabase,
  startGateway,
  type RunningGateway,
} from './support/gateway-harness';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describeWithPostgres('authentication', () => {
  const { fetch, problems } = specCheckedFetch();
  let testDatabase: TestDatabase;
  let database: Database;
  let gateway: RunningGateway;
  let adminToken: string;
  let developerToken: string;

  beforeAll(async () => {
    ({ testDatabase, database } = await openMigratedDatabase());
    // A short cache TTL so a revocation shows within the test; the fast sync would show it sooner anyway.
    gateway = await startGateway({ database, env: { TOKEN_CACHE_TTL_MS: '300' } });
    adminToken = await createToken(database, 'admin');
    developerToken = await createToken(database, 'developer');
  });

  afterAll(async () => {
    await gateway.stop();
    await database.close();
    await testDatabase.drop();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${gateway.url}${path}`, { headers });

  it('answers 401 with WWW-Authenticate when no credential is sent', async () => {
    const response = await get('/tokens');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('token, Bearer, Basic realm="overcast"');
    const body = (await response.json()) as { error: { code: string; message: string; request_id: string } };
    expect(body.error).toMatchObject({ code: 'unauthenticated', message: 'authorization header required' });
    expect(body.error.request_id).toBe(response.headers.get('x-request-id'));
  });

  it('answers 401 to a token that is not even of the right shape', async () => {
    const response = await get('/tokens', { authorization: 'token abc-def' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Bearer');
    expect(await response.json()).toMatchObject({ error: { code: 'unauthenticated', message: 'invalid token' } });
  });

  it('answers 401 to a well-formed token with a wrong secret or an unknown id', async () => {
    const [id] = adminToken.split('-');
    for (const wrong of [`${id}-${'0'.repeat(32)}`, `99999-${'a'.repeat(32)}`]) {
      const response = await get('/tokens', { authorization: `Bearer ${wrong}` });
      expect(response.status).toBe(401);
    }
  });

  it.each([
    ['Authorization: token <t>', (t: string) => ({ authorization: `token ${t}` })],
    ['Authorization: Bearer <t>', (t: string) => ({ authorization: `Bearer ${t}` })],
    ['HTTP Basic token:<t> (netrc)', (t: string) => ({ authorization: basic('token', t) })],
    ['X-Barcelona-Token: <t>', (t: string) => ({ 'x-barcelona-token': t })],
  ])('accepts a valid token as %s', async (_form, headers) => {
    const response = await get('/tokens', headers(adminToken));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { tokens: { role: string }[] };
    expect(body.tokens.length).toBeGreaterThanOrEqual(2);
  });

  it('answers 403 to a developer on an admin route, and lets admins through', async () => {
    const asDeveloper = await fetch(`${gateway.url}/tokens`, {
      method: 'POST',
      headers: { ...authorization(developerToken), 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'escalation attempt', role: 'admin' }),
    });
    expect(asDeveloper.status).toBe(403);
    expect(await asDeveloper.json()).toMatchObject({
      error: { code: 'forbidden', message: 'this operation needs the admin role' },
    });

    const kaboom = await fetch(`${gateway.url}/kaboom`, { method: 'POST', headers: authorization(developerToken) });
    expect(kaboom.status).toBe(403);
  });

  it('shows a developer only its own token and an admin every live token of the tenant', async () => {
    const mine = (await (await get('/tokens', authorization(developerToken))).json()) as { tokens: { id: string }[] };
    expect(mine.tokens.map((token) => token.id)).toEqual([developerToken.split('-')[0]]);
  });

  it('creates a token over the API that works at once and is shown only in the create answer', async () => {
    const created = await fetch(`${gateway.url}/tokens`, {
      method: 'POST',
      headers: { ...authorization(adminToken), 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'deploy bot' }),
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string; token: string; role: string; description: string };
    expect(body).toMatchObject({ role: 'developer', description: 'deploy bot' });
    expect(body.token).toMatch(new RegExp(`^${body.id}-[0-9a-f]{32}$`));
    expect((await get('/tokens', authorization(body.token))).status).toBe(200);
    const listed = await (await get('/tokens', authorization(adminToken))).text();
    expect(listed).toContain('deploy bot');
    expect(listed).not.toContain(body.token.split('-')[1]);
  });

  it('stops accepting a revoked token within the cache TTL', async () => {
    const doomed = await createToken(database, 'developer', 'default', 'doomed');
    expect((await get('/tokens', authorization(doomed))).status).toBe(200);
    const revoked = await fetch(`${gateway.url}/tokens/${doomed.split('-')[0]}`, {
      method: 'DELETE',
      headers: authorization(adminToken),
    });
    expect(revoked.status).toBe(204);
    await waitFor(
      'the revoked token to be refused',
      async () => (await get('/tokens', authorization(doomed))).status === 401,
    );
  });

  it('lets a developer revoke its own token but not another one of its tenant', async () => {
    const own = await createToken(database, 'developer', 'default', 'short-lived');
    const other = await createToken(database, 'developer', 'default', 'colleague');
    const revokeOther = await fetch(`${gateway.url}/tokens/${other.split('-')[0]}`, {
      method: 'DELETE',
      headers: authorization(own),
    });
    expect(revokeOther.status).toBe(403);
    const revokeOwn = await fetch(`${gateway.url}/tokens/${own.split('-')[0]}`, {
      method: 'DELETE',
      headers: authorization(own),
    });
    expect(revokeOwn.status).toBe(204);
  });

  it("answers 404, never 403, for another tenant's token", async () => {
    const foreignAdmin = await createToken(database, 'admin', 'other-tenant');
    const foreignDeveloper = await createToken(database, 'developer', 'other-tenant');
    for (const caller of [foreignAdmin, foreignDeveloper]) {
      const response = await fetch(`${gateway.url}/tokens/${developerToken.split('-')[0]}`, {
        method: 'DELETE',
        headers: authorization(caller),
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
    }
    const foreignList = (await (await get('/tokens', authorization(foreignAdmin))).json()) as {
      tokens: { id: string }[];
    };
    expect(foreignList.tokens.map((token) => token.id).sort()).toEqual(
      [foreignAdmin, foreignDeveloper].map((token) => token.split('-')[0]).sort(),
    );
    expect((await get('/tokens', authorization(developerToken))).status).toBe(200);
  });

  it('answered every request as the OpenAPI spec documents', () => {
    expect(problems).toEqual([]);
  });
});
