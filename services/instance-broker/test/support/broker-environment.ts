import { randomBytes } from 'node:crypto';
import { connectDatabase, migrateDatabase, type Database } from '@overcast/db';
import {
  createAmqpBus,
  createMemoryBroker,
  createMemoryBus,
  deleteAmqpTopology,
  type Bus,
  type BusLogger,
} from '@overcast/messaging';
import type { ProviderRegistry } from '@overcast/providers';
import { createTestDatabase, hasRabbitMq, testAmqpUrl, uniqueName, type TestDatabase } from '@overcast/test-kit';
import type { Clock } from '../../src/domain/ports';
import type { Notifier } from '../../src/domain/send-notification';
import type { CrashPoints } from '../../src/domain/worker-context';
import {
  createInstanceBrokerService,
  instanceBrokerMigrationsDir,
  instanceBrokerQueue,
  type InstanceBrokerService,
} from '../../src/service';
import { parseBrokerSettings, type BrokerSettingsEnvironment } from '../../src/config';

const print =
  (level: string) =>
  (object: object, message?: string): void => {
    process.stderr.write(`${level} ${message ?? ''} ${JSON.stringify(object)}\n`);
  };

/** Silent unless BROKER_TEST_LOG=1 (then warnings and errors go to stderr, for debugging a failure). */
const testLogger =
  process.env.BROKER_TEST_LOG === '1'
    ? { debug: () => undefined, info: print('info'), warn: print('warn'), error: print('error') }
    : { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The real RabbitMQ when it answered the test run's probe; else the in-memory transport (same contract
 * suite), said loudly. CI sets OVERCAST_REQUIRE_SERVICES=1, under which a missing RabbitMQ fails the run.
 */
function defaultTransport(): 'amqp' | 'memory' {
  if (hasRabbitMq()) return 'amqp';
  process.stderr.write('*** instance-broker tests: RabbitMQ unreachable, running on the in-memory bus\n');
  return 'memory';
}

export interface ReplicaOptions {
  providers: ProviderRegistry;
  /** Variables of the broker's settings schema; the environment's own shorten the intervals and the lease. */
  config?: BrokerSettingsEnvironment;
  crashPoints?: CrashPoints;
  notifier?: Notifier;
  /** The replica's clock; default: the system's. */
  clock?: Clock;
  /** Hears what the replica's bus does with each message (handled, retried, dead-lettered); default: silent. */
  busLogger?: BusLogger;
}

export interface Replica {
  service: InstanceBrokerService;
  bus: Bus;
  database: Database;
  /** Like a process ending: stops the service, its bus and its pool. */
  stop(): Promise<void>;
}

/**
 * One test file's world: its own database, its own bus namespace, a client bus playing the gateway, and
 * any number of broker replicas (each with its own connections, like separate processes).
 */
export async function createBrokerEnvironment(transport: 'amqp' | 'memory' = defaultTransport()) {
  const testDatabase: TestDatabase = await createTestDatabase();
  // Migrated once, before any replica starts, as a deployment's migrate step does.
  await migrateDatabase({
    url: testDatabase.url,
    schema: 'instance_broker',
    migrationsDir: instanceBrokerMigrationsDir,
  });
  const namespace = uniqueName('broker-test');
  const secretsKey = randomBytes(32).toString('hex');
  const retry = { maxAttempts: 6, baseDelayMs: 20, maxDelayMs: 200 };
  const broker = createMemoryBroker(); // shared by every memory bus of this environment, like one RabbitMQ
  const newBus = (logger?: BusLogger): Bus =>
    transport === 'amqp'
      ? createAmqpBus({ url: testAmqpUrl(), namespace, retry, rpcTimeoutMs: 10_000, logger })
      : createMemoryBus({ namespace, retry, broker, logger });
  const client = newBus();
  try {
    await client.start();
  } catch (error) {
    await client.stop().catch(() => undefined);
    await testDatabase.drop();
    if (transport === 'amqp') await deleteAmqpTopology({ url: testAmqpUrl(), namespace }).catch(() => undefined);
    throw error;
  }
  const replicas = new Set<Replica>();

  async function startReplica(options: ReplicaOptions): Promise<Replica> {
    const database = await connectDatabase({ url: testDatabase.url, schema: 'instance_broker', maxConnections: 5 });
    const bus = newBus(options.busLogger);
    const service = createInstanceBrokerService({
      settings: parseBrokerSettings({
        OVERCAST_ENCRYPTION_KEY: secretsKey,
        REFRESH_INTERVAL_MS: '200',
        REAPER_INTERVAL_MS: '200',
        REAPER_GRACE_PERIOD_MS: '60000',
        JOB_MAX_ATTEMPTS: String(retry.maxAttempts),
        JOB_RETRY_BASE_DELAY_MS: String(retry.baseDelayMs),
        JOB_RETRY_MAX_DELAY_MS: String(retry.maxDelayMs),
        PERIODIC_JOB_LEASE_MS: '1500',
        ...options.config,
      }),
      database,
      bus,
      providers: options.providers,
      logger: testLogger,
      notifier: options.notifier,
      clock: options.clock,
      crashPoints: options.crashPoints,
    });
    const replica: Replica = {
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
    try {
      await bus.start();
      await service.start();
    } catch (error) {
      await replica.stop().catch(() => undefined);
      throw error;
    }
    return replica;
  }

  return {
    client,
    namespace,
    testDatabase,
    startReplica,
    async close() {
      for (const replica of [...replicas]) await replica.stop();
      await client.stop();
      await testDatabase.drop();
      // Quorum queues left behind slow the shared broker down for everyone (and its restarts).
      if (transport === 'amqp') {
        await deleteAmqpTopology({
          url: testAmqpUrl(),
          namespace,
          queues: [instanceBrokerQueue],
          services: ['instance-broker'],
        });
      }
    },
  };
}

export type BrokerEnvironment = Awaited<ReturnType<typeof createBrokerEnvironment>>;
