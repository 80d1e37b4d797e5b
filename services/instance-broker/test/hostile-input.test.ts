import { createInstanceRpc, isAppError, listInstancesRpc, registerImageRpc } from '@overcast/contracts';
import { createFakeComputeProvider, createProviderRegistry } from '@overcast/providers';
import { describeWithPostgres } from '@overcast/test-kit';
import { createBrokerEnvironment, type BrokerEnvironment } from './support/broker-environment';

/** The outcome of a call: `ok`, or the code (and details) it was refused with, or the unexpected error. */
async function outcomeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    if (!isAppError(error)) return `unexpected: ${String(error)}`;
    return `${error.code} ${error.details.map((detail) => detail.path).join(',')}`;
  }
}

// Callers of the bus that are not the gateway (which refuses these strings first) meet the same refusal here.
describeWithPostgres('text Postgres cannot store, sent straight to the broker', () => {
  let environment: BrokerEnvironment;

  beforeAll(async () => {
    environment = await createBrokerEnvironment();
    await environment.startReplica({
      providers: createProviderRegistry([createFakeComputeProvider({ name: 'fake', latencyMs: 0, bootMs: 0 })]),
    });
  });

  afterAll(async () => {
    await environment?.close();
  });

  it('fails none of 50 other tenants’ concurrent creates when one tenant sends NUL-laden creates', async () => {
    const others = Array.from({ length: 50 }, (_, index) => `tenant-${index}`);
    for (let round = 0; round < 3; round += 1) {
      const calls = others.flatMap((tenantId, index) => {
        const create = environment.client.call(createInstanceRpc, {
          tenantId,
          provider: 'fake',
          image: 'debian-12',
          env: `round-${round}`,
        });
        // Every fifth create has a NUL-laden twin from mallory, so the bad rows land amid the good ones' turns.
        if (index % 5 !== 0) return [{ tenantId, call: create }];
        const hostile = environment.client.call(createInstanceRpc, {
          tenantId: 'mallory',
          provider: 'fake',
          image: `debian\u0000${index}`,
          site: 'a\u0000b',
        });
        return [
          { tenantId, call: create },
          { tenantId: 'mallory', call: hostile },
        ];
      });
      const outcomes = await Promise.all(
        calls.map(async ({ tenantId, call }) => ({ tenantId, outcome: await outcomeOf(call) })),
      );
      expect(outcomes.filter(({ tenantId, outcome }) => tenantId !== 'mallory' && outcome !== 'ok')).toEqual([]);
      expect(new Set(outcomes.filter(({ tenantId }) => tenantId === 'mallory').map(({ outcome }) => outcome))).toEqual(
        new Set(['bad_request request.image,request.site']),
      );
    }
    const listed = await Promise.all(
      others.map((tenantId) => environment.client.call(listInstancesRpc, { tenantId, limit: 10 })),
    );
    expect(listed.map((page) => page.instances.length)).toEqual(others.map(() => 3));
    expect((await environment.client.call(listInstancesRpc, { tenantId: 'mallory', limit: 10 })).instances).toEqual([]);
  });

  it('refuses an unpaired surrogate, which Postgres would have stored as U+FFFD, naming the field', async () => {
    expect(
      await outcomeOf(
        environment.client.call(createInstanceRpc, { tenantId: 't1', provider: 'fake', image: 'debian-\ud800' }),
      ),
    ).toBe('bad_request request.image');
  });

  it('refuses NUL in a query’s filter and in a catalog write, where it would fail the statement', async () => {
    expect(
      await outcomeOf(environment.client.call(listInstancesRpc, { tenantId: 't1', limit: 10, env: 'staging\u0000' })),
    ).toBe('bad_request request.env');
    expect(
      await outcomeOf(
        environment.client.call(registerImageRpc, {
          tenantId: 't1',
          provider: 'fake',
          imageId: 'ami-\u0000',
          role: 'worker',
          name: 'n',
          active: false,
        }),
      ),
    ).toBe('bad_request request.imageId');
  });
});
