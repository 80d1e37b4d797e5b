import { randomBytes } from 'node:crypto';
import { appManagerMigrationsDir, createAppManagerService, parseAppManagerSettings } from '@overcast/app-manager';
import { applyMigrations, connectDatabase } from '@overcast/db';
import { createAmqpBus, createBusMetrics } from '@overcast/messaging';
import { createFakeContainerPlatform, createProviderRegistry } from '@overcast/providers';
import { correlation, createLogger, createMetrics } from '@overcast/service-kit';
import { runAsChildService } from '../lib/child-service';
import { countDatabaseQueries } from '../lib/query-counter';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

/**
 * The real app manager as main.ts wires it, in a process of its own, on the fake container platform with zero
 * latency and instant roll-outs: what is measured is Overcast's deploy workflow (bus, outbox, database), not ECS.
 */
runAsChildService<Record<string, never>>(async () => {
  const databaseQueries = countDatabaseQueries();
  const logger = createLogger({ service: 'app-manager', level: 'warn' });
  const database = await connectDatabase({ url: required('BENCH_DATABASE_URL'), schema: 'app_manager', logger });
  await applyMigrations(database, appManagerMigrationsDir, { logger });
  const metrics = createMetrics({ service: 'app-manager' });
  const bus = createAmqpBus({
    url: required('AMQP_URL'),
    namespace: required('BUS_NAMESPACE'),
    logger,
    context: correlation,
    metrics: createBusMetrics(metrics.registry),
  });
  await bus.start();
  const platforms = createProviderRegistry([createFakeContainerPlatform({ name: 'fake', latencyMs: 0, rolloutMs: 0 })]);
  // The service's defaults (poll interval, job retries), as main.ts parses them from an environment that sets none.
  const settings = parseAppManagerSettings({ OVERCAST_ENCRYPTION_KEY: randomBytes(32).toString('hex') });
  const service = createAppManagerService({ settings, database, bus, platforms, logger });
  await service.start();
  return {
    info: {},
    counters: () => ({ databaseQueries: databaseQueries() }),
    async stop() {
      await service.stop();
      await bus.stop();
      await database.close();
    },
  };
});
