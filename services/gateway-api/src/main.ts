import { connectDatabase } from '@overcast/db';
import { createAmqpBus, createBusMetrics, createMemoryBus } from '@overcast/messaging';
import { correlation, createLogger, createMetrics, handleShutdownSignals, startTracing } from '@overcast/service-kit';
import { loadGatewayConfigOrExit } from './config';
import { createGatewayService } from './service';

/**
 * Read config → database → bus → gateway; SIGTERM/SIGINT (or DELETE /) stop them in reverse. The database is
 * migrated before, by the migrate entry point (src/migrate.ts: the init container, the compose job).
 */
async function main(): Promise<void> {
  const config = loadGatewayConfigOrExit();
  const logger = createLogger({ service: 'gateway-api', level: config.logLevel });
  const tracing = startTracing({ serviceName: 'gateway-api', settings: config.tracing });
  const metrics = createMetrics({ service: 'gateway-api' });
  const database = await connectDatabase({ url: config.databaseUrl, schema: config.databaseSchema, logger });
  const busOptions = {
    namespace: config.busNamespace,
    logger,
    context: correlation,
    rpcTimeoutMs: config.rpcTimeoutMs,
    metrics: createBusMetrics(metrics.registry),
  };
  if (!config.amqpUrl)
    logger.warn('AMQP_URL is not set: using the in-memory bus, so only services in this process answer');
  const bus = config.amqpUrl ? createAmqpBus({ ...busOptions, url: config.amqpUrl }) : createMemoryBus(busOptions);
  await bus.start();

  const service = createGatewayService({
    config,
    database,
    bus,
    logger,
    metrics,
    // DELETE / takes the same path as SIGTERM: one graceful shutdown with its deadline.
    onShutdownRequested: () => process.kill(process.pid, 'SIGTERM'),
  });
  handleShutdownSignals(async () => {
    await service.stop();
    await bus.stop();
    await database.close();
    await tracing?.shutdown();
  }, logger);
  await service.start();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `gateway-api failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
