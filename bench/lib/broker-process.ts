import { randomBytes } from 'node:crypto';
import {
  createInstanceBrokerService,
  instanceBrokerMigrationsDir,
  parseBrokerSettings,
} from '@overcast/instance-broker';
import { createFakeComputeProvider, createProviderRegistry } from '@overcast/providers';
import { runAsChildService } from './child-service';
import { countDatabaseQueries } from './query-counter';
import { startServiceInfrastructure } from './service-infrastructure';

export interface BrokerInfo {
  provider: string;
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
  // Metrics as main.ts counts them (tracing stays off: no OTEL_EXPORTER_OTLP_ENDPOINT, the default).
  const infrastructure = await startServiceInfrastructure({
    service: 'instance-broker',
    schema: 'instance_broker',
    migrationsDir: instanceBrokerMigrationsDir,
    level,
  });
  const { database, bus, logger, metrics } = infrastructure;
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
      await infrastructure.stop();
    },
  };
});
