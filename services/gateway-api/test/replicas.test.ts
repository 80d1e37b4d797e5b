import type { Database } from '@overcast/db';
import { describeWithPostgres, waitFor, type TestDatabase } from '@overcast/test-kit';
import {
  authorization,
  createToken,
  openMigratedDatabase,
  startGateway,
  type RunningGateway,
} from './support/gateway-harness';

// Two gateway replicas sharing one database: the state they must agree on is rate-limit counts and revocations.
describeWithPostgres('several gateway replicas', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let first: RunningGateway;
  let second: RunningGateway;

  beforeAll(async () => {
    ({ testDatabase, database } = await openMigratedDatabase());
    // A long cache TTL on purpose: a revocation must reach the other replica through the shared database.
    const env = { RATE_LIMIT_PER_TENANT: '10', AUTH_STATE_SYNC_INTERVAL_MS: '50', TOKEN_CACHE_TTL_MS: '600000' };
    [first, second] = await Promise.all([startGateway({ database, env }), startGateway({ database, env })]);
  });

  afterAll(async () => {
    await Promise.all([first.stop(), second.stop()]);
    await database.close();
    await testDatabase.drop();
  });

  async function sharedCount(key: string): Promise<number> {
    const result = await database.pool.query<{ total: string | null }>(
      `SELECT sum(count) AS total FROM "${database.schema}".rate_limit_counters WHERE key = $1`,
      [key],
    );
    return Number(result.rows[0]?.total ?? 0);
  }

  it('holds one tenant to its limit across both replicas, answering 429 with Retry-After', async () => {
    const token = await createToken(database, 'admin', 'rate-limited-tenant');
    const statuses = async (gateway: RunningGateway, count: number) => {
      const seen: number[] = [];
      for (let i = 0; i < count; i += 1)
        seen.push((await fetch(`${gateway.url}/tokens`, { headers: authorization(token) })).status);
      return seen;
    };
    const fromFirst = await statuses(first, 5);
    expect(fromFirst).toEqual([200, 200, 200, 200, 200]);
    const tenant = await database.pool.query<{ id: string }>(
      `SELECT id FROM "${database.schema}".tenants WHERE name = $1`,
      ['rate-limited-tenant'],
    );
    const key = `tenant:${tenant.rows[0]?.id}`;
    // The first replica's five are in the database before the second replica counts its one: the second's flush
    // (one statement adding its count and returning the key's total) then hands it the total of six.
    await waitFor('the first replica to flush its count', async () => (await sharedCount(key)) === 5);
    // One request through the second replica, for the same tenant.
    const listed = (await (await fetch(`${second.url}/tokens`, { headers: authorization(token) })).json()) as {
      tokens: { tenant_id: string }[];
    };
    expect(`tenant:${listed.tokens[0]?.tenant_id}`).toBe(key);
    // Both replicas flushed: the first its five, the second its one, reading back the total as it did.
    await waitFor('both replicas to flush their counts', async () => (await sharedCount(key)) === 6);

    const fromSecond = await statuses(second, 5);
    expect(fromSecond).toEqual([200, 200, 200, 200, 429]);
    const refused = await fetch(`${second.url}/tokens`, { headers: authorization(token) });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: { code: 'rate_limited' } });

    await waitFor(
      'the first replica to see the limit reached',
      async () => (await fetch(`${first.url}/tokens`, { headers: authorization(token) })).status === 429,
    );
  });

  it('drops a token revoked on one replica from the other replica’s cache, long before that cache’s TTL', async () => {
    const admin = await createToken(database, 'admin', 'revocations');
    const doomed = await createToken(database, 'developer', 'revocations', 'doomed');
    expect((await fetch(`${second.url}/tokens`, { headers: authorization(doomed) })).status).toBe(200);
    const revoked = await fetch(`${first.url}/tokens/${doomed.split('-')[0]}`, {
      method: 'DELETE',
      headers: authorization(admin),
    });
    expect(revoked.status).toBe(204);
    await waitFor(
      'the second replica to refuse the revoked token',
      async () => (await fetch(`${second.url}/tokens`, { headers: authorization(doomed) })).status === 401,
    );
  });
});
