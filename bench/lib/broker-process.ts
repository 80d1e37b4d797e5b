import { randomBytes } from 'node:crypto';
import { applyMigrations, connectDatabase } from '@overcast/db';
import {
  createInstanceBrokerService,
  instanceBrokerMigrationsDir,
  parseBrokerSettings,
} from '@overcast/instance-broker';
import { createAmqpBus, createBusMetrics } from '@overcast/messaging';
import { createFakeComputeProvider, createProviderRegistry } from '@overcast/providers';
import { correlation, createLogger, createMetrics } from '@overcast/service-kit';
import { runAsChildService } from './child-service';
import { countDatabaseQueries } from './query-counter';

export interface BrokerInfo {
  provider: string;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

/**
 * The real instance broker in a process of its own, on the fake provider with zero latency and instant
 * boot: what is measured is Overcast's own pipeline (bus, outbox, database), not a cloud's.
 */
runAsChildService<BrokerInfo>(async () => {
  const databaseQueries = countDatabaseQueries();
  // Warnings and errors show; BENCH_BROKER_LOG_LEVEL=debug shows the pipeline at work when diagnosing.
  const level =
    process.env.BENCH_BROKER_LOG_LEVEL === 'debug' || process.env.BENCH_BROKER_LOG_LEVEL === 'info'
      ? process.env.BENCH_BROKER_LOG_LEVEL
      : 'warn';
  const logger = createLogger({ service: 'instance-broker', level });
  const database = await connectDatabase({ url: required('BENCH_DATABASE_URL'), schema: 'instance_broker', logger });
  await applyMigrations(database, instanceBrokerMigrationsDir, { logger });
  // Metrics as main.ts counts them (tracing stays off: no OTEL_EXPORTER_OTLP_ENDPOINT, the default).
  const metrics = createMetrics({ service: 'instance-broker' });
  const bus = createAmqpBus({
    url: required('AMQP_URL'),
    namespace: required('BUS_NAMESPACE'),
    logger,
    context: correlation,
    metrics: createBusMetrics(metrics.registry),
  });
  await bus.start();
  const fake = createFakeComputeProvider({ name: 'fake', latencyMs: 0, bootMs: 0 });
  const service = createInstanceBrokerService({
    settings: parseBrokerSettings({
      OVERCAST_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      // One tenant creates thousands of instances here: the pipeline is measured, not the quota (the largest
      // limit the column holds; the quota is still taken on every insert).
      INSTANCE_QUOTA_PER_TENANT: '2147483647',
      // The service default unless a run asks otherwise: the refresh is what turns `starting` into `running`.
      REFRESH_INTERVAL_MS: process.env.BENCH_REFRESH_INTERVAL_MS,
    }),
    database,
    bus,
    providers: createProviderRegistry([fake]),
    logger,
    metricsRegistry: metrics.registry,
  });
  await service.start();
  return {
    info: { provider: fake.name },
    counters: () => ({ databaseQueries: databaseQueries() }),
    async stop() {
      await service.stop();
      await bus.stop();
      await database.close();
    },
  };
});
