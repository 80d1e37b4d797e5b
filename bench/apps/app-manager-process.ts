import { randomBytes } from 'node:crypto';
import { appManagerMigrationsDir, createAppManagerService, parseAppManagerSettings } from '@overcast/app-manager';
import { createFakeContainerPlatform, createProviderRegistry } from '@overcast/providers';
import { runAsChildService } from '../lib/child-service';
import { countDatabaseQueries } from '../lib/query-counter';
import { startServiceInfrastructure } from '../lib/service-infrastructure';

/**
 * The real app manager as main.ts wires it, in a process of its own, on the fake container platform with zero
 * latency and instant roll-outs: what is measured is Overcast's deploy workflow (bus, outbox, database), not ECS.
 */
runAsChildService<Record<string, never>>(async () => {
  const databaseQueries = countDatabaseQueries();
  const infrastructure = await startServiceInfrastructure({
    service: 'app-manager',
    schema: 'app_manager',
    migrationsDir: appManagerMigrationsDir,
  });
  const { database, bus, logger } = infrastructure;
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
      await infrastructure.stop();
    },
  };
});
