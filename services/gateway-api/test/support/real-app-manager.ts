import { randomBytes } from 'node:crypto';
import {
  appManagerMigrationsDir,
  createAppManagerService,
  parseAppManagerSettings,
  type AppManagerService,
} from '@overcast/app-manager';
import { connectDatabase, migrateDatabase, type Database } from '@overcast/db';
import type { Bus } from '@overcast/messaging';
import { createFakeContainerPlatform, createProviderRegistry, type FakeContainerPlatform } from '@overcast/providers';

// A gateway test runs the real app manager (a test-only dependency, as the broker and the registry) on the
// providers' fake container platform: the app routes must hold against its real validation and database.

export interface RealAppManager {
  service: AppManagerService;
  fake: FakeContainerPlatform;
  stop(): Promise<void>;
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The app manager in `databaseUrl`'s `app_manager` schema, serving RPCs on `bus` (started and stopped by the caller);
 * `settings` adds to or overrides its environment (`APP_QUOTA_PER_TENANT`…).
 */
export async function startRealAppManager(
  databaseUrl: string,
  bus: Bus,
  settings: Record<string, string> = {},
): Promise<RealAppManager> {
  await migrateDatabase({ url: databaseUrl, schema: 'app_manager', migrationsDir: appManagerMigrationsDir });
  const database: Database = await connectDatabase({ url: databaseUrl, schema: 'app_manager', maxConnections: 5 });
  const fake = createFakeContainerPlatform({
    taskOutcome: (command) => ({ exitCode: command === 'false' ? 1 : 0, output: `ran ${command ?? ''}` }),
  });
  const service = createAppManagerService({
    settings: parseAppManagerSettings({
      OVERCAST_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      DEPLOY_POLL_INTERVAL_MS: '5',
      SCHEDULER_INTERVAL_MS: '600000',
      JOB_RETRY_BASE_MS: '10',
      JOB_MAX_ATTEMPTS: '2',
      ...settings,
    }),
    database,
    bus,
    platforms: createProviderRegistry([fake]),
    logger: silent,
  });
  await service.start();
  return {
    service,
    fake,
    async stop() {
      await service.stop();
      await database.close();
    },
  };
}
