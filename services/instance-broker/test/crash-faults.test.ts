import { createInstanceRpc, listInstancesRpc, type Instance } from '@overcast/contracts';
import { describeWithPostgres, waitFor } from '@overcast/test-kit';
import type { CrashPoint, CrashPoints } from '../src/domain/worker-context';
import { createProviderRegistry } from '@overcast/providers';
import { createBrokerEnvironment, type BrokerEnvironment } from './support/broker-environment';
import { ObservedProvider } from './support/observed-provider';

/** Thrown at a crash point: the work done so far stays done, the job is not acknowledged. */
class SimulatedCrash extends Error {}

/** Crashes each instance's create once, at `point`, and tells when every expected crash happened. */
function crashOnceAt(point: CrashPoint) {
  const crashed = new Set<string>();
  const crashPoints: CrashPoints = async (reached, instanceId) => {
    if (reached !== point || crashed.has(instanceId)) return;
    crashed.add(instanceId);
    throw new SimulatedCrash(`simulated crash ${point} for ${instanceId}`);
  };
  return { crashPoints, crashed };
}

// 3 crash points × 4 rounds × 9 instances ≈ 100 broker deaths mid-create, each followed by a new replica.
const rounds = 4;
const instancesPerRound = 9;

describeWithPostgres('the broker dying mid-create', () => {
  let environment: BrokerEnvironment;

  beforeAll(async () => {
    environment = await createBrokerEnvironment();
  });

  afterAll(async () => {
    await environment?.close();
  });

  async function everyInstanceRunning(tenantId: string, count: number): Promise<Instance[]> {
    return waitFor(`${count} instances of ${tenantId} to run`, async () => {
      const { instances } = await environment.client.call(listInstancesRpc, { tenantId, limit: 500 });
      return instances.length === count && instances.every((instance) => instance.state === 'running') && instances;
    });
  }

  it.each(['before-provider-call', 'after-provider-call', 'after-database-write'] as const)(
    'leaves no duplicate and no leaked provider instance when it dies %s',
    async (point) => {
      const fake = new ObservedProvider();
      const providers = createProviderRegistry([fake]);
      const tenantId = `crash-${point}`;
      let instances: Instance[] = [];
      for (let round = 0; round < rounds; round += 1) {
        const { crashPoints, crashed } = crashOnceAt(point);
        const doomed = await environment.startReplica({ providers, crashPoints });
        const created = await Promise.all(
          Array.from({ length: instancesPerRound }, () =>
            environment.client.call(createInstanceRpc, { tenantId, provider: 'fake', image: 'standard-image' }),
          ),
        );
        await waitFor(`every create of round ${round} to crash ${point}`, () =>
          created.every((instance) => crashed.has(instance.id)),
        );
        await doomed.stop();
        const successor = await environment.startReplica({ providers });
        instances = await everyInstanceRunning(tenantId, (round + 1) * instancesPerRound);
        await successor.stop();
      }
      // One launch per instance (a retried create found its instance), and exactly the rows' instances
      // exist at the provider: no duplicate, nothing leaked, nothing missing.
      expect(fake.fake.launches).toBe(instances.length);
      expect((await fake.liveIds()).sort()).toEqual(instances.map((instance) => instance.id).sort());
    },
  );
});

describeWithPostgres('a provider that loses 20% of create responses', () => {
  let environment: BrokerEnvironment;

  beforeAll(async () => {
    environment = await createBrokerEnvironment();
  });

  afterAll(async () => {
    await environment?.close();
  });

  it('still yields exactly one instance per request', async () => {
    // Seeded: 20% of creates (and terminates) do their work, then answer an error.
    const fake = new ObservedProvider({ lostResponseRate: 0.2, seed: 7 });
    // Enough attempts that 20% failures never exhaust them (0.2^12 per instance).
    await environment.startReplica({
      providers: createProviderRegistry([fake]),
      config: { JOB_MAX_ATTEMPTS: '12', JOB_RETRY_BASE_DELAY_MS: '10', JOB_RETRY_MAX_DELAY_MS: '100' },
    });
    const created = await Promise.all(
      Array.from({ length: 40 }, () =>
        environment.client.call(createInstanceRpc, { tenantId: 'flaky', provider: 'fake', image: 'standard-image' }),
      ),
    );
    await waitFor('every instance to run', async () => {
      const { instances } = await environment.client.call(listInstancesRpc, { tenantId: 'flaky', limit: 500 });
      return instances.every((instance) => instance.state === 'running');
    });
    expect(fake.fake.calls.createInstance).toBeGreaterThan(created.length); // the faults did happen
    expect(fake.fake.launches).toBe(created.length);
    expect((await fake.liveIds()).sort()).toEqual(created.map((instance) => instance.id).sort());
  });
});
