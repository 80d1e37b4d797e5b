import { randomBytes } from 'node:crypto';
import type { Database } from '@overcast/db';
import { describeWithPostgres, type TestDatabase } from '@overcast/test-kit';
import {
  authorization,
  createToken,
  gatewayNow,
  openMigratedDatabase,
  startGateway,
  type RunningGateway,
} from './support/gateway-harness';
import { postLargeUpload } from './support/large-upload';

const randomSecret = () => randomBytes(16).toString('hex');

async function scryptRuns(gateway: RunningGateway): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  return [
    ...text.matchAll(/gateway_token_verifications_total\{[^}]*outcome="(matched|mismatched)"[^}]*\} (\d+)/g),
  ].reduce((sum, match) => sum + Number(match[2]), 0);
}

async function verificationsWithOutcome(gateway: RunningGateway, outcome: string): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  return Number(
    new RegExp(`gateway_token_verifications_total\\{[^}]*outcome="${outcome}"[^}]*\\} (\\d+)`).exec(text)?.[1] ?? 0,
  );
}

const overBudgetRefusals = (gateway: RunningGateway) => verificationsWithOutcome(gateway, 'over_budget');

// Clients are told apart by X-Forwarded-For here (TRUST_PROXY=true), as behind a load balancer.
describeWithPostgres('a gateway under abuse', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let gateway: RunningGateway;
  let token: string;

  beforeAll(async () => {
    ({ testDatabase, database } = await openMigratedDatabase());
    gateway = await startGateway({
      database,
      env: {
        TRUST_PROXY: 'true',
        AUTH_FAILURES_PER_CLIENT: '5',
        RATE_LIMIT_PER_ANONYMOUS_CLIENT: '3',
        SCRYPT_CONCURRENCY: '1',
        SCRYPT_MAX_QUEUED: '4',
        // The per-client budget is what these tests probe; the all-clients allowance (and with it how long a source
        // that failed stays suspect, 2 / this many seconds) has its own test below.
        SCRYPT_FAILURES_PER_SECOND: '1000000',
      },
    });
    token = await createToken(database, 'developer');
  });

  afterAll(async () => {
    await gateway.stop();
    await database.close();
    await testDatabase.drop();
  });

  const fromClient = (client: string, headers: Record<string, string> = {}) => ({
    'x-forwarded-for': client,
    ...headers,
  });

  it('refuses unknown token ids without running scrypt', async () => {
    const before = await scryptRuns(gateway);
    for (let i = 0; i < 3; i += 1) {
      const response = await fetch(`${gateway.url}/tokens`, {
        headers: fromClient(`10.1.0.${i}`, authorization(`${900_000 + i}-${randomSecret()}`)),
      });
      expect(response.status).toBe(401);
    }
    expect(await scryptRuns(gateway)).toBe(before);
  });

  it('stops verifying for a client after its failure budget, answering 429 before any scrypt', async () => {
    const [id] = token.split('-');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      statuses.push(
        (
          await fetch(`${gateway.url}/tokens`, {
            headers: fromClient('10.2.0.1', authorization(`${id}-${randomSecret()}`)),
          })
        ).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const runs = await scryptRuns(gateway);
    const refused = await fetch(`${gateway.url}/tokens`, {
      headers: fromClient('10.2.0.1', authorization(`${id}-${randomSecret()}`)),
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await scryptRuns(gateway)).toBe(runs);
    // Another client is not affected.
    expect(
      (await fetch(`${gateway.url}/tokens`, { headers: fromClient('10.2.0.2', authorization(token)) })).status,
    ).toBe(200);
  });

  it('refuses a client over its failure budget before looking at its token, even a valid one', async () => {
    const [id] = token.split('-');
    for (let i = 0; i < 5; i += 1)
      await fetch(`${gateway.url}/tokens`, {
        headers: fromClient('10.6.0.1', authorization(`${id}-${randomSecret()}`)),
      });
    const runs = await scryptRuns(gateway);
    const refusedBefore = await overBudgetRefusals(gateway);
    for (const presented of [`${id}-${randomSecret()}`, 'not-a-token', token]) {
      const refused = await fetch(`${gateway.url}/tokens`, {
        headers: fromClient('10.6.0.1', authorization(presented)),
      });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      // No body to leave unread: the connection stays open.
      expect(refused.headers.get('connection')).toBe('keep-alive');
      expect(await refused.json()).toMatchObject({
        error: { code: 'rate_limited', details: [], request_id: expect.any(String) },
      });
    }
    expect(await scryptRuns(gateway)).toBe(runs);
    expect(await overBudgetRefusals(gateway)).toBe(refusedBefore + 3);
  });

  it("reads a bounded part of an over-budget client's body, not all of it, and the client reads its 429", async () => {
    const [id] = token.split('-');
    for (let i = 0; i < 5; i += 1)
      await fetch(`${gateway.url}/tokens`, {
        headers: fromClient('10.8.0.1', authorization(`${id}-${randomSecret()}`)),
      });
    const refused = await postLargeUpload(
      `${gateway.url}/tokens`,
      fromClient('10.8.0.1', authorization(`${id}-${randomSecret()}`)),
      { bytes: 1024 * 1024 * 1024, declareLength: true },
    );
    expect(refused).toMatchObject({ status: 429, headers: { connection: 'close' } });
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'rate_limited' } });
    expect(refused.sentBytes).toBeLessThan(64 * 1024 * 1024);
  });

  it('answers an over-budget client before routing as the error handler would, and still serves it public routes', async () => {
    const [id] = token.split('-');
    // One IPv6 host rotating within its /64 shares one budget.
    const addresses = Array.from({ length: 5 }, (_, i) => `2001:db8:0:7::${i + 1}`);
    for (const address of addresses)
      await fetch(`${gateway.url}/tokens`, { headers: fromClient(address, authorization(`${id}-${randomSecret()}`)) });
    const refusalsCounted = async () => {
      const text = await (await fetch(`${gateway.url}/metrics`)).text();
      const series = text.matchAll(
        /http_request_duration_seconds_count\{[^}]*route="<unmatched>"[^}]*status_code="429"[^}]*\} (\d+)/g,
      );
      return [...series].reduce((sum, match) => sum + Number(match[1]), 0);
    };
    const countedBefore = await refusalsCounted();

    const legacy = await fetch(`${gateway.url}/instances?limit=5`, {
      headers: fromClient('2001:db8:0:7::99', { ...authorization(token), 'x-request-id': 'trace-42' }),
    });
    expect(legacy.status).toBe(429);
    expect(legacy.headers.get('x-request-id')).toBe('trace-42');
    expect(legacy.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await legacy.json()).toEqual({
      error: {
        code: 'rate_limited',
        message: 'too many failed authentications from this client',
        details: [],
        request_id: 'trace-42',
      },
      errors: ['too many failed authentications from this client'],
    });
    const hostile = await fetch(`${gateway.url}/tokens`, {
      method: 'POST',
      body: 'x'.repeat(100_000),
      headers: fromClient('2001:db8:0:7::5', {
        ...authorization(token),
        'x-request-id': 'bad id\twith tabs',
        'content-type': 'application/json',
      }),
    });
    expect(hostile.status).toBe(429);
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await refusalsCounted()).toBe(countedBefore + 2);

    // Without credentials nothing can fail authentication: public routes answer the same address.
    expect((await fetch(`${gateway.url}/healthz`, { headers: fromClient('2001:db8:0:7::1') })).status).toBe(200);
    // Another /64 is another client.
    expect(
      (await fetch(`${gateway.url}/tokens`, { headers: fromClient('2001:db8:0:8::1', authorization(token)) })).status,
    ).toBe(200);
  });

  it("counts a client's verifications in flight against its budget, so a concurrent burst buys no extra scrypt", async () => {
    const [id] = token.split('-');
    const wrongSecret = () =>
      fetch(`${gateway.url}/tokens`, { headers: fromClient('10.7.0.1', authorization(`${id}-${randomSecret()}`)) });
    const before = await scryptRuns(gateway);
    for (let i = 0; i < 4; i += 1) expect((await wrongSecret()).status).toBe(401);
    const burst = await Promise.all(Array.from({ length: 4 }, wrongSecret));
    expect(burst.map((response) => response.status).sort()).toEqual([401, 429, 429, 429]);
    expect(await scryptRuns(gateway)).toBe(before + 5);
  });

  it('answers a valid token while a flood of wrong secrets from many clients is in flight', async () => {
    expect(
      (await fetch(`${gateway.url}/tokens`, { headers: fromClient('10.3.0.1', authorization(token)) })).status,
    ).toBe(200);
    const [id] = token.split('-');
    const flood = Array.from({ length: 200 }, (_, i) =>
      fetch(`${gateway.url}/tokens`, {
        headers: fromClient(`10.4.${Math.floor(i / 250)}.${i % 250}`, authorization(`${id}-${randomSecret()}`)),
      }).then((response) => response.status),
    );
    const valid = await fetch(`${gateway.url}/tokens`, { headers: fromClient('10.3.0.1', authorization(token)) });
    expect(valid.status).toBe(200);
    const statuses = await Promise.all(flood);
    // Each wrong secret is refused (401), or not even judged because verification is saturated (503).
    expect(statuses.every((status) => status === 401 || status === 503)).toBe(true);
  });

  it('limits requests without a token per client address', async () => {
    const responses: Response[] = [];
    for (let i = 0; i < 4; i += 1) responses.push(await fetch(`${gateway.url}/`, { headers: fromClient('10.5.0.1') }));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 429]);
    // The quota as the spec's "Rate limits" section describes it, on every limited answer.
    expect(responses.map((response) => response.headers.get('ratelimit-remaining'))).toEqual(['2', '1', '0', '0']);
    for (const response of responses) {
      expect(response.headers.get('ratelimit-limit')).toBe('3');
      expect(Number(response.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    }
    expect(Number(responses[3]?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await fetch(`${gateway.url}/`, { headers: fromClient('10.5.0.2') })).status).toBe(200);
    // Probes are never limited.
    for (let i = 0; i < 5; i += 1) {
      const probe = await fetch(`${gateway.url}/healthz`, { headers: fromClient('10.5.0.1') });
      expect(probe.status).toBe(200);
      expect(probe.headers.get('ratelimit-limit')).toBeNull();
    }
  });

  it('spends at most the all-clients failure allowance on scrypt, then answers 503 to unproven tokens until it refills', async () => {
    // Token verification reads this clock (cache lifetimes, the allowance's refill): the test moves it instead of
    // waiting, so no refill happens unless the test says so.
    const clock = { now: gatewayNow() };
    const limited = await startGateway({
      database,
      env: { TRUST_PROXY: 'true', SCRYPT_CONCURRENCY: '1', SCRYPT_FAILURES_PER_SECOND: '1', TOKEN_CACHE_TTL_MS: '100' },
      now: () => clock.now,
    });
    try {
      const newcomer = await createToken(database, 'developer');
      const targetIds: string[] = [];
      for (let i = 0; i < 7; i += 1) targetIds.push((await createToken(database, 'developer')).split('-')[0] ?? '');
      expect(
        (await fetch(`${limited.url}/tokens`, { headers: fromClient('10.8.1.1', authorization(token)) })).status,
      ).toBe(200);
      const before = await scryptRuns(limited);
      const statuses: number[] = [];
      // Every wrong secret from another address for another token id: neither a client's budget nor a source's
      // share is in the way, only the shared allowance.
      for (let i = 0; i < 6; i += 1) {
        const response = await fetch(`${limited.url}/tokens`, {
          headers: fromClient(`10.8.0.${i}`, authorization(`${targetIds[i]}-${randomSecret()}`)),
        });
        statuses.push(response.status);
        if (response.status === 503) expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      expect(statuses).toEqual([401, 503, 503, 503, 503, 503]);
      expect(await scryptRuns(limited)).toBe(before + 1);
      // Past its cache TTL, a token this gateway verified before is read again but needs no scrypt: it still works,
      // though not a fraction of the allowance has come back.
      clock.now += 150;
      expect(
        (await fetch(`${limited.url}/tokens`, { headers: fromClient('10.8.1.1', authorization(token)) })).status,
      ).toBe(200);
      expect(await verificationsWithOutcome(limited, 'reverified')).toBe(1);
      // A token it never verified waits for the allowance, spent again first: a second after the first spend the
      // allowance is whole, and one wrong secret spends all of it.
      clock.now += 1_000;
      const spending = await fetch(`${limited.url}/tokens`, {
        headers: fromClient('10.8.0.9', authorization(`${targetIds[6]}-${randomSecret()}`)),
      });
      expect(spending.status).toBe(401);
      expect(
        (await fetch(`${limited.url}/tokens`, { headers: fromClient('10.8.1.2', authorization(newcomer)) })).status,
      ).toBe(503);
      expect(await scryptRuns(limited)).toBe(before + 2);
      // Half a second later it is still refused; at the second it goes through.
      clock.now += 500;
      expect(
        (await fetch(`${limited.url}/tokens`, { headers: fromClient('10.8.1.2', authorization(newcomer)) })).status,
      ).toBe(503);
      clock.now += 500;
      expect(
        (await fetch(`${limited.url}/tokens`, { headers: fromClient('10.8.1.2', authorization(newcomer)) })).status,
      ).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});
