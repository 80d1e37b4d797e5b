import { connectDatabase } from '@overcast/db';
import { createAmqpBus, createBusMetrics } from '@overcast/messaging';
import {
  correlation,
  createLogger,
  createMetrics,
  createOpsApp,
  handleShutdownSignals,
  startHttpServer,
  startMetricsServer,
  startTracing,
} from '@overcast/service-kit';
import { loadBrokerConfigOrExit } from './config';
import { createNotifierFromConfig } from './notifications/slack-webhook-notifier';
import { createProvidersFromConfig } from './provider-wiring';
import { createInstanceBrokerService } from './service';

/**
 * Read config → database → bus → providers → broker → ops HTTP; SIGTERM/SIGINT stop them in reverse. The database
 * is migrated before, by the migrate entry point (src/migrate.ts: the init container, the compose job).
 */
async function main(): Promise<void> {
  const config = loadBrokerConfigOrExit();
  const logger = createLogger({ service: 'instance-broker', level: config.LOG_LEVEL });
  const tracing = startTracing({ serviceName: 'instance-broker', settings: config.tracing });
  const metrics = createMetrics({ service: 'instance-broker' });
  const providers = createProvidersFromConfig(config, logger);
  const database = await connectDatabase({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, logger });
  const bus = createAmqpBus({
    url: config.AMQP_URL,
    namespace: config.BUS_NAMESPACE,
    logger,
    context: correlation,
    metrics: createBusMetrics(metrics.registry),
  });
  await bus.start();

  const service = createInstanceBrokerService({
    settings: config.settings,
    database,
    bus,
    providers,
    logger,
    metricsRegistry: metrics.registry,
    notifier: createNotifierFromConfig(config),
  });
  await service.start();

  const ops = createOpsApp({
    logger,
    metrics,
    serveMetrics: config.METRICS_PORT === undefined,
    checks: {
      database: async () => (await service.status()).checks.database === true,
      broker: () => bus.isReady(),
    },
  });
  const server = await startHttpServer(ops, { port: config.PORT, host: config.HOST });
  logger.info({ url: server.url }, 'instance broker ops endpoints listening');
  const metricsServer =
    config.METRICS_PORT === undefined
      ? null
      : await startMetricsServer(metrics, { port: config.METRICS_PORT, host: config.HOST });
  if (metricsServer) logger.info({ url: metricsServer.url }, 'instance broker metrics listening');

  handleShutdownSignals(async () => {
    await server.close();
    await metricsServer?.close();
    await service.stop();
    await bus.stop();
    await providers.close();
    await database.close();
    await tracing?.shutdown();
  }, logger);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `instance-broker failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
