import { applyMigrations, connectDatabase, type Database } from '@overcast/db';
import { createTestDatabase, type TestDatabase } from '@overcast/test-kit';
import { createBrokerStore, type BrokerStoreHandle } from '../../src/data-access/broker-store';
import { instanceBrokerMigrationsDir } from '../../src/service';
import { randomBytes } from 'node:crypto';
import { parseBrokerSettings } from '../../src/config';

export interface MigratedStore {
  database: Database;
  store: BrokerStoreHandle;
  close(): Promise<void>;
}

/** A fresh test database with the broker's migrations applied and its store over it. */
export async function openMigratedStore(): Promise<MigratedStore> {
  const testDatabase: TestDatabase = await createTestDatabase();
  const database = await connectDatabase({ url: testDatabase.url, schema: 'instance_broker' });
  await applyMigrations(database, instanceBrokerMigrationsDir);
  const store = createBrokerStore(database, {
    instanceQuota: {
      defaultLimit: parseBrokerSettings({ OVERCAST_ENCRYPTION_KEY: randomBytes(32).toString('hex') })
        .instanceQuotaPerTenant,
    },
  });
  return {
    database,
    store,
    async close() {
      await store.close();
      await database.close();
      await testDatabase.drop();
    },
  };
}
