import { applyMigrations, connectDatabase, type Database } from '@overcast/db';
import { createMemoryBus, type Bus } from '@overcast/messaging';
import { createLogger } from '@overcast/service-kit';
import { createTestDatabase, type TestDatabase } from '@overcast/test-kit';
import type { Role } from '@overcast/contracts';
import {
  createGatewayAdmin,
  createGatewayService,
  migrationsDirectory,
  parseGatewayConfig,
  type GatewayEnvironment,
  type GatewayService,
  type GatewayServiceDeps,
} from '../../src';

export const gatewaySchema = 'gateway_api';

/** A fresh Postgres database with the gateway's migrations applied. */
export async function openMigratedDatabase(): Promise<{ testDatabase: TestDatabase; database: Database }> {
  const testDatabase = await createTestDatabase();
  const database = await connectDatabase({ url: testDatabase.url, schema: gatewaySchema });
  await applyMigrations(database, migrationsDirectory);
  return { testDatabase, database };
}

export interface StartGatewayOptions {
  database: Database;
  /** Default: a private, started in-memory bus. */
  bus?: Bus;
  /** Environment variables on top of the test defaults (port 0 on loopback, 100 ms sync, day-long rate-limit windows). */
  env?: GatewayEnvironment;
  github?: GatewayServiceDeps['github'];
  onShutdownRequested?: () => void;
  /** The clock token verification reads; default: the wall clock. */
  now?: GatewayServiceDeps['now'];
  metrics?: GatewayServiceDeps['metrics'];
  snsCertificateAgent?: GatewayServiceDeps['snsCertificateAgent'];
}

export interface RunningGateway {
  url: string;
  service: GatewayService;
  bus: Bus;
  stop(): Promise<void>;
}

export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const ownBus = options.bus === undefined;
  const bus = options.bus ?? createMemoryBus();
  if (ownBus) await bus.start();
  const config = parseGatewayConfig({
    DATABASE_URL: 'postgres://unused@127.0.0.1/unused',
    PORT: '0',
    HOST: '127.0.0.1',
    AUTH_STATE_SYNC_INTERVAL_MS: '100',
    // Rate-limit windows align to the wall clock (so replicas share them): a test that counts to a limit would
    // start over if it straddled a boundary, one run in twelve with the default minute; a day makes that midnight only.
    RATE_LIMIT_WINDOW_SECONDS: '86400',
    // A service that answers must count as up even when its status reply crosses a loaded broker on a busy CI
    // host; a service nobody serves is still down at once (its RPC is unroutable), so this costs no test any time.
    SERVICE_STATUS_TIMEOUT_MS: '5000',
    STATUS_SERVICES: 'instance-broker',
    ...options.env,
  });
  const service = createGatewayService({
    config,
    database: options.database,
    bus,
    logger: createLogger({ service: 'gateway-api', level: 'silent' }),
    github: options.github,
    onShutdownRequested: options.onShutdownRequested,
    now: options.now,
    metrics: options.metrics,
    snsCertificateAgent: options.snsCertificateAgent,
  });
  await service.start();
  return {
    url: service.url ?? '',
    service,
    bus,
    async stop() {
      await service.stop();
      if (ownBus) await bus.stop();
    },
  };
}

/** Creates a token straight in the database (like overcast-admin) and returns the secret. */
export async function createToken(
  database: Database,
  role: Role,
  tenantName = 'default',
  description = `${role} test token`,
): Promise<string> {
  const admin = createGatewayAdmin(database);
  try {
    return (await admin.createToken({ description, role, tenantName })).token;
  } finally {
    await admin.close();
  }
}

export const authorization = (token: string) => ({ authorization: `token ${token}` });
