import { randomBytes } from 'node:crypto';
import { connectDatabase, migrateDatabase, type Database } from '@overcast/db';
import { createAmqpBus, createMemoryBroker, createMemoryBus, deleteAmqpTopology, type Bus } from '@overcast/messaging';
import { createTestDatabase, hasRabbitMq, testAmqpUrl, uniqueName } from '@overcast/test-kit';
import { parseRegistrySettings, type RegistrySettingsEnvironment } from '../../src/config';
import { createRegistryService, registryMigrationsDir, type RegistryService } from '../../src/service';

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (o: object, m?: string) => {
    if (process.env.REGISTRY_TEST_LOG === '1')
      process.stderr.write(`${m} ${String((o as { err?: Error }).err?.stack ?? JSON.stringify(o))}\n`);
  },
};

function defaultTransport(): 'amqp' | 'memory' {
  if (hasRabbitMq()) return 'amqp';
  process.stderr.write('*** registry tests: RabbitMQ unreachable, running on the in-memory bus\n');
  return 'memory';
}

/** A clock the test moves: heartbeat timeouts and failback delays without sleeping. */
export function createTestClock(start = Date.parse('2026-12-04T12:00:00Z')) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => void (now += ms) };
}

export interface RegistryReplica {
  service: RegistryService;
  bus: Bus;
  database: Database;
  stop(): Promise<void>;
}

/** One test file's world: its own database and bus namespace, a client bus playing the gateway, registry replicas. */
export async function createRegistryEnvironment(transport: 'amqp' | 'memory' = defaultTransport()) {
  const testDatabase = await createTestDatabase();
  await migrateDatabase({ url: testDatabase.url, schema: 'registry', migrationsDir: registryMigrationsDir });
  const namespace = uniqueName('registry-test');
  const secretsKey = randomBytes(32).toString('hex');
  const broker = createMemoryBroker();
  const retry = { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100 };
  const newBus = (): Bus =>
    transport === 'amqp'
      ? createAmqpBus({ url: testAmqpUrl(), namespace, retry, rpcTimeoutMs: 15_000, logger: silent })
      : createMemoryBus({ namespace, retry, broker, logger: silent });
  const client = newBus();
  await client.start();
  const replicas = new Set<RegistryReplica>();

  async function startReplica(options: { clock: { now(): Date }; config?: RegistrySettingsEnvironment }) {
    const database = await connectDatabase({ url: testDatabase.url, schema: 'registry', maxConnections: 5 });
    const bus = newBus();
    const service = createRegistryService({
      settings: parseRegistrySettings({
        OVERCAST_ENCRYPTION_KEY: secretsKey,
        // The tests drive passes themselves (reconcileNow); the job's own runs find nothing left to do.
        RECONCILE_INTERVAL_MS: '600000',
        // Likewise notifications (notifyNow): the fixtures' webhook would add notification.failed to the events.
        NOTIFY_INTERVAL_MS: '600000',
        HEARTBEAT_INTERVAL_MS: '1000',
        HEARTBEAT_MISSED_LIMIT: '2',
        FAILBACK_AFTER_MS: '5000',
        ...options.config,
      }),
      database,
      bus,
      logger: silent,
      clock: options.clock,
    });
    const replica: RegistryReplica = {
      service,
      bus,
      database,
      async stop() {
        replicas.delete(replica);
        await service.stop();
        await bus.stop();
        await database.close();
      },
    };
    replicas.add(replica);
    await bus.start();
    await service.start();
    return replica;
  }

  return {
    client,
    testDatabase,
    /** The key the replicas seal the CA's private key with (tests that must sign as the registry's root read it). */
    secretsKey,
    startReplica,
    async close() {
      for (const replica of [...replicas]) await replica.stop();
      await client.stop();
      await testDatabase.drop();
      if (transport === 'amqp') {
        await deleteAmqpTopology({ url: testAmqpUrl(), namespace, queues: [], services: ['registry'] });
      }
    },
  };
}
