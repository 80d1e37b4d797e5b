import { applyMigrations, connectDatabase } from '@overcast/db';
import { createAmqpBus, createBusMetrics } from '@overcast/messaging';
import { correlation, createLogger, createMetrics, type CreateLoggerOptions } from '@overcast/service-kit';

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

export interface ServiceInfrastructureOptions {
  service: string;
  /** The service's own Postgres schema, migrated before it starts. */
  schema: string;
  migrationsDir: string;
  level?: CreateLoggerOptions['level'];
}

/**
 * What a service's main.ts sets up before the service itself, for a benchmark's child process: its logger, its
 * migrated schema in BENCH_DATABASE_URL, metrics as main.ts counts them (tracing off, the default) and a started bus
 * on AMQP_URL under BUS_NAMESPACE.
 */
export async function startServiceInfrastructure(options: ServiceInfrastructureOptions) {
  const logger = createLogger({ service: options.service, level: options.level ?? 'warn' });
  const database = await connectDatabase({ url: requiredEnv('BENCH_DATABASE_URL'), schema: options.schema, logger });
  await applyMigrations(database, options.migrationsDir, { logger });
  const metrics = createMetrics({ service: options.service });
  const bus = createAmqpBus({
    url: requiredEnv('AMQP_URL'),
    namespace: requiredEnv('BUS_NAMESPACE'),
    logger,
    context: correlation,
    metrics: createBusMetrics(metrics.registry),
  });
  await bus.start();
  return {
    logger,
    database,
    bus,
    metrics,
    async stop(): Promise<void> {
      await bus.stop();
      await database.close();
    },
  };
}
