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

const rateLimitWindowMs = 86_400_000;
/** A second into a rate-limit window when this file's tests began: the next window is a day of testing away. */
const clockOffsetMs = rateLimitWindowMs - (Date.now() % rateLimitWindowMs) + 1_000;

/**
 * The gateways' clock. Rate-limit windows align to the clock (so replicas share them): a test that counts to a limit
 * started over if it straddled a boundary (midnight UTC with day-long windows, as in a run 1 s before midnight: the
 * 6th failure of a budget of 5 answered 401, not 429). Every gateway of a file reads this one clock, so replicas
 * share its windows; a test moving its own clock starts it here.
 */
export const gatewayNow = () => Date.now() + clockOffsetMs;

export interface StartGatewayOptions {
  database: Database;
  /** Default: a private, started in-memory bus. */
  bus?: Bus;
  /** Environment variables on top of the test defaults (port 0 on loopback, 100 ms sync, day-long rate-limit windows). */
  env?: GatewayEnvironment;
  github?: GatewayServiceDeps['github'];
  onShutdownRequested?: () => void;
  /** The clock of token verification and rate-limit windows; default: `gatewayNow`. */
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
    // Day-long rate-limit windows, each gateway's clock starting a second into one (gatewayNow): a test that counts
    // to a limit never straddles a boundary (one run in twelve did with the default minute).
    RATE_LIMIT_WINDOW_SECONDS: String(rateLimitWindowMs / 1000),
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
    now: options.now ?? gatewayNow,
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
