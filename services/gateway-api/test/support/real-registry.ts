import { randomBytes } from 'node:crypto';
import { connectDatabase, migrateDatabase, type Database } from '@overcast/db';
import type { Bus } from '@overcast/messaging';
import {
  createRegistryService,
  parseRegistrySettings,
  registryMigrationsDir,
  type RegistryService,
  type RegistrySettingsEnvironment,
} from '@overcast/registry';

// A gateway test runs the real registry (a test-only dependency, as the instance broker): what the registry routes
// answer must hold against its real validation, placement and database, not a stub.

export interface RealRegistry {
  service: RegistryService;
  stop(): Promise<void>;
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** The registry in `databaseUrl`'s `registry` schema, serving RPCs on `bus` (started and stopped by the caller). */
export async function startRealRegistry(
  databaseUrl: string,
  bus: Bus,
  settings: RegistrySettingsEnvironment = {},
): Promise<RealRegistry> {
  await migrateDatabase({ url: databaseUrl, schema: 'registry', migrationsDir: registryMigrationsDir });
  const database: Database = await connectDatabase({ url: databaseUrl, schema: 'registry', maxConnections: 5 });
  const service = createRegistryService({
    settings: parseRegistrySettings({
      OVERCAST_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      RECONCILE_INTERVAL_MS: '600000',
      // Webhooks of the test files (hooks.example.com) are not sent: no notification.failed among the events.
      NOTIFY_INTERVAL_MS: '600000',
      ...settings,
    }),
    database,
    bus,
    logger: silent,
  });
  await service.start();
  return {
    service,
    async stop() {
      await service.stop();
      await database.close();
    },
  };
}
