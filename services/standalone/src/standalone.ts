import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { applyMigrations, connectDatabase, startEmbeddedPostgres, type Database } from '@overcast/db';
import {
  createGatewayAdmin,
  createGatewayService,
  migrationsDirectory,
  parseGatewayConfig,
} from '@overcast/gateway-api';
import {
  createInstanceBrokerService,
  createNotifierFromConfig,
  instanceBrokerMigrationsDir,
  parseBrokerSettings,
  parseSlackVariables,
} from '@overcast/instance-broker';
import {
  appManagerMigrationsDir,
  createAppManagerService,
  parseAppManagerSettings,
  type AppManagerDeps,
} from '@overcast/app-manager';
import { createAmqpBus, createPostgresBus, type Bus } from '@overcast/messaging';
import { createRegistryService, parseRegistrySettings, registryMigrationsDir } from '@overcast/registry';
import {
  createImageInspectorService,
  imageInspectorMigrationsDir,
  parseImageInspectorSettings,
} from '@overcast/image-inspector';
import { correlation, type Logger } from '@overcast/service-kit';
import { ensureAdminToken } from './admin-token';
import type { StandaloneConfig } from './config';
import {
  appManagerSchema,
  gatewaySchema,
  imageInspectorSchema,
  instanceBrokerSchema,
  postgresDataDir,
  registrySchema,
} from './layout';
import { startLocalDatacenter } from './local-datacenter/start-local-datacenter';
import { createLocalContainerPlatforms, createLocalProviders, localImagesFileOf } from './local-providers';
import { loadOrCreateSecretsKey } from './secrets-key';

export interface StandaloneOptions {
  config: StandaloneConfig;
  logger: Logger;
  /** Called after `DELETE /` was answered; default: nothing (the caller owns the process). */
  onShutdownRequested?: () => void;
  /** The app manager's clock, which its cron scheduler reads (tests move it a minute at a time); default: the system's. */
  appManagerClock?: AppManagerDeps['clock'];
}

export interface Standalone {
  url: string;
  adminToken: string;
  /** True on the first start with this data directory. */
  firstStart: boolean;
  stop(): Promise<void>;
}

/**
 * Every Overcast service in one process: embedded Postgres (or DATABASE_URL), a bus on that database (or
 * AMQP_URL), the local provider. Started in dependency order, stopped in reverse.
 */
export async function startStandalone(options: StandaloneOptions): Promise<Standalone> {
  const { config, logger } = options;
  const dataDir = path.resolve(config.OVERCAST_DATA_DIR);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stoppers.splice(0).reverse()) {
      await stopOne().catch((error: unknown) => logger.error({ err: error }, 'standalone: a part failed to stop'));
    }
  };
  try {
    // Progress lines: the embedded database's first start (initdb) takes seconds, and silence reads as a hang.
    if (!config.DATABASE_URL) logger.info({ dataDir }, 'starting the embedded PostgreSQL');
    const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: postgresDataDir(dataDir) });
    if (embedded) stoppers.push(() => embedded.stop());
    const databaseUrl = config.DATABASE_URL ?? embedded!.url;
    // Each service's database is migrated here, before the service starts (services never migrate in start()).
    const openMigratedDatabase = async (schema: string, migrationsDir: string): Promise<Database> => {
      const database = await connectDatabase({ url: databaseUrl, schema, logger });
      stoppers.push(() => database.close());
      await applyMigrations(database, migrationsDir, { logger });
      return database;
    };

    // Without RabbitMQ the bus lives in the same database: a job acknowledged to a client survives a crash.
    const bus: Bus = config.AMQP_URL
      ? createAmqpBus({ url: config.AMQP_URL, logger, context: correlation })
      : createPostgresBus({ url: databaseUrl, logger, context: correlation });
    logger.info(config.AMQP_URL ? 'connecting to RabbitMQ' : 'starting the bus on the database');
    await bus.start();
    stoppers.push(() => bus.stop());

    const secretsKey = await loadOrCreateSecretsKey(dataDir);
    // Before the broker: its queue must be bound before the broker's first instance event is published. Local
    // accounts need no cloud; AWS registration needs credentials the embedded default does not have.
    const imageInspector = createImageInspectorService({
      // The gateway streams disk images for inspection to it on a free loopback port.
      // Local accounts' CloudTrail files dropped in .overcast/activity-logs/<account id>/ are ingested.
      // A local catalog image whose entry names a disk is inspected from it when an instance first runs it.
      settings: parseImageInspectorSettings({
        INSPECTION_UPLOAD_PORT: '0',
        ACTIVITY_LOG_WATCH_DIR: path.join(dataDir, 'activity-logs'),
        ...config.serviceEnvironment,
        LOCAL_IMAGES_FILE: localImagesFileOf(config.serviceEnvironment),
      }),
      database: await openMigratedDatabase(imageInspectorSchema, imageInspectorMigrationsDir),
      bus,
      logger,
    });
    logger.info('starting the image inspector');
    await imageInspector.start();
    stoppers.push(() => imageInspector.stop());

    // Closed after the broker stops (stoppers run in reverse): the local provider's metadata service listens.
    const providers = createLocalProviders(path.join(dataDir, 'local'), config.serviceEnvironment, logger);
    stoppers.push(() => providers.close());
    const broker = createInstanceBrokerService({
      settings: parseBrokerSettings({
        ...config.serviceEnvironment,
        OVERCAST_ENCRYPTION_KEY: secretsKey,
        DEFAULT_PROVIDER: 'local',
      }),
      database: await openMigratedDatabase(instanceBrokerSchema, instanceBrokerMigrationsDir),
      bus,
      providers,
      // pudding's notices (launches, terminations, builds) to the operator's SLACK_WEBHOOK_URL, as the broker's main.
      notifier: createNotifierFromConfig(parseSlackVariables(config.serviceEnvironment)),
      logger,
    });
    logger.info('starting the instance broker');
    await broker.start();
    stoppers.push(() => broker.stop());

    const registry = createRegistryService({
      settings: parseRegistrySettings({
        // Agents on this machine reach it on a free loopback port (written for `pnpm agent` to find).
        AGENT_PORT: '0',
        ...config.serviceEnvironment,
        OVERCAST_ENCRYPTION_KEY: secretsKey,
      }),
      database: await openMigratedDatabase(registrySchema, registryMigrationsDir),
      bus,
      logger,
    });
    logger.info('starting the registry');
    await registry.start();
    stoppers.push(() => registry.stop());

    // Districts on this machine (local: hello-web and the operator's catalog, behind local balancers), in memory
    // (fake), or on ECS (aws).
    const containerPlatforms = createLocalContainerPlatforms(
      path.join(dataDir, 'local-containers'),
      config.serviceEnvironment,
    );
    stoppers.push(() => containerPlatforms.close());
    const appManager = createAppManagerService({
      settings: parseAppManagerSettings({ ...config.serviceEnvironment, OVERCAST_ENCRYPTION_KEY: secretsKey }),
      database: await openMigratedDatabase(appManagerSchema, appManagerMigrationsDir),
      bus,
      platforms: containerPlatforms,
      logger,
      ...(options.appManagerClock ? { clock: options.appManagerClock } : {}),
    });
    logger.info('starting the app manager');
    await appManager.start();
    stoppers.push(() => appManager.stop());

    const gatewayDatabase = await openMigratedDatabase(gatewaySchema, migrationsDirectory);
    const gateway = createGatewayService({
      config: parseGatewayConfig({
        // GET /status asks every service this process runs, unless the operator names others.
        STATUS_SERVICES: 'instance-broker,registry,app-manager,image-inspector',
        ...config.serviceEnvironment,
        DATABASE_URL: databaseUrl,
        PORT: String(config.PORT),
        HOST: config.HOST,
      }),
      database: gatewayDatabase,
      bus,
      logger,
      onShutdownRequested: options.onShutdownRequested,
    });
    logger.info('starting the gateway');
    await gateway.start();
    stoppers.push(() => gateway.stop());

    const admin = createGatewayAdmin(gatewayDatabase);
    const { token, created, tenantId } = await ensureAdminToken(admin, dataDir)
      .then(async (ensured) => ({
        ...ensured,
        tenantId: (await admin.listTokens()).find((listed) => ensured.token.startsWith(`${listed.id}-`))?.tenantId,
      }))
      .finally(() => admin.close());

    // The local datacenter belongs to the admin's tenant, so `overcast datacenters list` with its token shows it.
    logger.info('starting the local datacenter');
    const localDatacenter = await startLocalDatacenter({
      dataDir,
      bus,
      tenantId: tenantId ?? 'default',
      agentAddress: `127.0.0.1:${registry.agentPort() ?? 0}`,
      env: config.serviceEnvironment,
    });
    stoppers.push(() => localDatacenter.stop());
    return { url: gateway.url!, adminToken: token, firstStart: created, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
