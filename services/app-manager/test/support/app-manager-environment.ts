import { randomBytes, randomUUID } from 'node:crypto';
import { createInstanceRpc, INSTANCE_BROKER_SERVICE, type CreateInstanceRequest } from '@overcast/contracts';
import { defineCatalog } from '@overcast/contracts';
import { connectDatabase, migrateDatabase, type Database } from '@overcast/db';
import { createAmqpBus, createMemoryBroker, createMemoryBus, deleteAmqpTopology, type Bus } from '@overcast/messaging';
import {
  createFakeContainerPlatform,
  createProviderRegistry,
  type ContainerPlatform,
  type FakeContainerOptions,
} from '@overcast/providers';
import { createTestDatabase, hasRabbitMq, testAmqpUrl, uniqueName } from '@overcast/test-kit';
import { parseAppManagerSettings, type AppManagerSettingsEnvironment } from '../../src/config';
import type { CrashPoint } from '../../src/domain/context';
import { appManagerMigrationsDir, createAppManagerService, type AppManagerService } from '../../src/service';

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (o: object, m?: string) => {
    if (process.env.APP_MANAGER_TEST_LOG === '1')
      process.stderr.write(`${m} ${String((o as { err?: Error }).err?.stack ?? JSON.stringify(o))}\n`);
  },
};

function defaultTransport(): 'amqp' | 'memory' {
  if (hasRabbitMq()) return 'amqp';
  process.stderr.write('*** app-manager tests: RabbitMQ unreachable, running on the in-memory bus\n');
  return 'memory';
}

const instanceBrokerDouble = defineCatalog(createInstanceRpc);

/**
 * One test file's world: its own database and bus namespace, a client bus playing the gateway, the fake container
 * platform, a test double of the instance broker's instance.create on the bus, and app manager replicas.
 */
export async function createAppManagerEnvironment(
  options: {
    fake?: FakeContainerOptions;
    transport?: 'amqp' | 'memory';
    /** Beside the fake (e.g. a local platform); closed with the environment. */
    platforms?: ContainerPlatform[];
  } = {},
) {
  const transport = options.transport ?? defaultTransport();
  const testDatabase = await createTestDatabase();
  await migrateDatabase({ url: testDatabase.url, schema: 'app_manager', migrationsDir: appManagerMigrationsDir });
  const namespace = uniqueName('apps-test');
  const secretsKey = randomBytes(32).toString('hex');
  const memoryBroker = createMemoryBroker();
  const retry = { maxAttempts: 20, baseDelayMs: 10, maxDelayMs: 50 };
  const newBus = (): Bus =>
    transport === 'amqp'
      ? createAmqpBus({ url: testAmqpUrl(), namespace, retry, rpcTimeoutMs: 15_000, logger: silent })
      : createMemoryBus({ namespace, retry, broker: memoryBroker, logger: silent });
  const fake = createFakeContainerPlatform({ seed: 1, ...options.fake });
  const platforms = createProviderRegistry([fake, ...(options.platforms ?? [])]);
  const client = newBus();
  await client.start();

  const launched: CreateInstanceRequest[] = [];
  const instancesByKey = new Map<string, string>();
  const brokerDouble = await client.serve(INSTANCE_BROKER_SERVICE, instanceBrokerDouble, {
    'instance.create': async (request) => {
      launched.push(request);
      const key = request.idempotencyKey ?? randomUUID();
      const id = instancesByKey.get(key) ?? randomUUID();
      instancesByKey.set(key, id);
      const at = new Date().toISOString();
      return {
        id,
        provider: request.provider,
        image: request.image,
        instanceType: request.instanceType ?? 'standard',
        publicSshKey: null,
        state: 'creating' as const,
        ipAddress: null,
        upstreamId: null,
        errorReason: null,
        env: null,
        site: request.site ?? null,
        role: request.role ?? null,
        queue: null,
        instanceBuildId: null,
        createdAt: at,
        updatedAt: at,
      };
    },
  });

  interface Replica {
    service: AppManagerService;
    bus: Bus;
    database: Database;
    stop(): Promise<void>;
  }
  const replicas = new Set<Replica>();

  async function startReplica(
    replicaOptions: {
      config?: AppManagerSettingsEnvironment;
      crashPoint?: CrashPoint;
      /**
       * Beside the fake instead of the environment's (a restart with another LOCAL_IMAGES_FILE); the replica's own,
       * closed when it stops.
       */
      platforms?: ContainerPlatform[];
    } = {},
  ) {
    const ownPlatforms = replicaOptions.platforms && createProviderRegistry([fake, ...replicaOptions.platforms]);
    const database = await connectDatabase({ url: testDatabase.url, schema: 'app_manager', maxConnections: 5 });
    const bus = newBus();
    const service = createAppManagerService({
      settings: parseAppManagerSettings({
        OVERCAST_ENCRYPTION_KEY: secretsKey,
        DEPLOY_POLL_INTERVAL_MS: '5',
        // The tests run scheduler passes themselves (runDueSchedules).
        SCHEDULER_INTERVAL_MS: '600000',
        JOB_MAX_ATTEMPTS: '20',
        JOB_RETRY_BASE_MS: '10',
        ...replicaOptions.config,
      }),
      database,
      bus,
      platforms: ownPlatforms ?? platforms,
      logger: silent,
      crashPoint: replicaOptions.crashPoint,
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
        for (const platform of replicaOptions.platforms ?? []) await platform.close?.();
      },
    };
    replicas.add(replica);
    await bus.start();
    await service.start();
    return replica;
  }

  return {
    client,
    fake,
    launched,
    testDatabase,
    startReplica,
    async close() {
      for (const replica of [...replicas]) await replica.stop();
      await brokerDouble.stop();
      await client.stop();
      await platforms.close();
      await testDatabase.drop();
      if (transport === 'amqp') {
        await deleteAmqpTopology({
          url: testAmqpUrl(),
          namespace,
          queues: ['app-manager', 'app-manager.instance-events'],
          services: ['app-manager', INSTANCE_BROKER_SERVICE],
        });
      }
    },
  };
}

export type AppManagerEnvironment = Awaited<ReturnType<typeof createAppManagerEnvironment>>;

/** Polls `probe` until it returns a value (not undefined) or the time is up. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('eventually: timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
