import { randomBytes } from 'node:crypto';
import { applyMigrations, connectDatabase, type Database } from '@overcast/db';
import {
  createGatewayAdmin,
  createGatewayService,
  migrationsDirectory,
  parseGatewayConfig,
} from '@overcast/gateway-api';
import {
  createInstanceBrokerService,
  instanceBrokerMigrationsDir,
  instanceBrokerQueue,
  parseBrokerSettings,
} from '@overcast/instance-broker';
import { createAmqpBus, deleteAmqpTopology, type Bus } from '@overcast/messaging';
import type { ProviderRegistry } from '@overcast/providers';
import { createClient, type OvercastClient } from '@overcast/sdk';
import { createLogger } from '@overcast/service-kit';
import { createTestDatabase, testAmqpUrl, uniqueName } from '@overcast/test-kit';

/** Silent unless E2E_LOG=1, which prints the services' warnings and errors when a run fails. */
const logger = createLogger({ service: 'standalone-e2e', level: process.env.E2E_LOG === '1' ? 'warn' : 'silent' });

/** RPC queues served in a namespace: deleted with it, or they linger as quorum queues on the shared broker. */
const servedServices = ['instance-broker', 'gateway-api'];

/** One HTTP exchange the SDK had with the gateway: the SDK hides status codes the suite asserts. */
export interface Exchange {
  method: string;
  path: string;
  status: number;
}

export interface ControlPlane {
  /** The SDK, signed in with an admin token the gateway issued. */
  client: OvercastClient;
  /** Every exchange of `client`, in order. */
  exchanges: Exchange[];
  gatewayUrl: string;
  stop(): Promise<void>;
}

/**
 * One test file's Overcast: its own database (gateway and broker each in their schema), its own RabbitMQ
 * namespace, the instance broker over `providers` with a fast refresh, and the gateway on a free port.
 * Each service gets its own connections, as if it ran in its own process.
 */
export async function startControlPlane(providers: ProviderRegistry): Promise<ControlPlane> {
  const testDatabase = await createTestDatabase();
  const namespace = uniqueName('standalone-e2e');
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stoppers.splice(0).reverse()) await stopOne();
  };
  stoppers.push(() => testDatabase.drop());
  stoppers.push(() =>
    deleteAmqpTopology({ url: testAmqpUrl(), namespace, queues: [instanceBrokerQueue], services: servedServices }),
  );

  // Migrated before each service starts, as the standalone composition does.
  const openMigratedDatabase = async (schema: string, migrationsDir: string): Promise<Database> => {
    const database = await connectDatabase({ url: testDatabase.url, schema, maxConnections: 4 });
    stoppers.push(() => database.close());
    await applyMigrations(database, migrationsDir, { logger });
    return database;
  };
  const startBus = async (): Promise<Bus> => {
    const bus = createAmqpBus({
      url: testAmqpUrl(),
      namespace,
      logger,
      retry: { maxAttempts: 6, baseDelayMs: 20, maxDelayMs: 200 },
    });
    stoppers.push(() => bus.stop());
    await bus.start();
    return bus;
  };

  try {
    const broker = createInstanceBrokerService({
      settings: parseBrokerSettings({
        OVERCAST_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        DEFAULT_PROVIDER: 'fake',
        REFRESH_INTERVAL_MS: '200',
      }),
      database: await openMigratedDatabase('instance_broker', instanceBrokerMigrationsDir),
      bus: await startBus(),
      providers,
      logger,
    });
    await broker.start();
    stoppers.push(() => broker.stop());

    const gatewayDatabase = await openMigratedDatabase('gateway_api', migrationsDirectory);
    const gateway = createGatewayService({
      config: parseGatewayConfig({
        DATABASE_URL: testDatabase.url,
        PORT: '0',
        HOST: '127.0.0.1',
        BUS_NAMESPACE: namespace,
      }),
      database: gatewayDatabase,
      bus: await startBus(),
      logger,
    });
    await gateway.start();
    stoppers.push(() => gateway.stop());

    const admin = createGatewayAdmin(gatewayDatabase);
    const { token } = await admin
      .createToken({ description: 'standalone end-to-end suite', role: 'admin' })
      .finally(() => admin.close());
    const gatewayUrl = gateway.url!;
    const exchanges: Exchange[] = [];
    const recordingFetch = async (request: Request): Promise<Response> => {
      const response = await fetch(request);
      exchanges.push({ method: request.method, path: new URL(request.url).pathname, status: response.status });
      return response;
    };
    return { client: createClient({ baseUrl: gatewayUrl, token, fetch: recordingFetch }), exchanges, gatewayUrl, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
