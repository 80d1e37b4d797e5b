import { connectDatabase } from '@overcast/db';
import { createAmqpBus, createBusMetrics } from '@overcast/messaging';
import {
  correlation,
  createLogger,
  createMetrics,
  createOpsApp,
  handleShutdownSignals,
  startHttpServer,
} from '@overcast/service-kit';
import { loadAppManagerConfigOrExit } from './config';
import { createContainerPlatforms } from './container-platforms';
import { createAppManagerService } from './service';

/** Read config → database → bus → app manager → ops HTTP; SIGTERM/SIGINT stop them in reverse. Migrated before (src/migrate.ts). */
async function main(): Promise<void> {
  const config = loadAppManagerConfigOrExit();
  const logger = createLogger({ service: 'app-manager', level: config.LOG_LEVEL });
  const metrics = createMetrics({ service: 'app-manager' });
  const platforms = createContainerPlatforms({
    names: config.CONTAINER_PROVIDERS,
    localDataDir: config.LOCAL_CONTAINER_DATA_DIR,
    localImagesFile: config.LOCAL_IMAGES_FILE,
    awsRegion: config.AWS_REGION,
  });
  const database = await connectDatabase({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, logger });
  const bus = createAmqpBus({
    url: config.AMQP_URL,
    namespace: config.BUS_NAMESPACE,
    logger,
    context: correlation,
    metrics: createBusMetrics(metrics.registry),
  });
  await bus.start();
  const service = createAppManagerService({ settings: config.settings, database, bus, platforms, logger });
  await service.start();
  const ops = createOpsApp({
    logger,
    metrics,
    checks: {
      database: async () => (await service.status()).checks.database === true,
      broker: () => bus.isReady(),
    },
  });
  const server = await startHttpServer(ops, { port: config.PORT, host: config.HOST });
  logger.info({ url: server.url }, 'app manager ops endpoints listening');
  handleShutdownSignals(async () => {
    await server.close();
    await service.stop();
    await bus.stop();
    await platforms.close();
    await database.close();
  }, logger);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `app manager failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
