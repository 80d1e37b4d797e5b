import { connectDatabase } from '@overcast/db';
import { loadQuotaAdminConfigOrExit } from '../config';
import { createBrokerStore } from '../data-access/broker-store';
import type { QuotaRepository } from '../domain/ports';

const usage = 'usage: set-quota <tenant-id> <limit|default>';
// The column is a Postgres integer.
const largestLimit = 2_147_483_647;

/**
 * `pnpm --filter @overcast/instance-broker set-quota <tenant-id> <limit|default>` gives a tenant its own limit
 * of live instances, or returns it to INSTANCE_QUOTA_PER_TENANT; it prints the tenant's quota as it now stands.
 * The tenant id is the `tenant_id` of the tenant's tokens (`GET /tokens`). An operator's command, never an API
 * route: a tenant's own admin must not raise its own limit.
 */
export async function setQuota(args: readonly string[], quotas: QuotaRepository): Promise<string> {
  const [tenantId, value, ...rest] = args;
  if (!tenantId || !value || rest.length > 0) throw new Error(usage);
  if (value !== 'default' && !(/^\d{1,10}$/.test(value) && Number(value) <= largestLimit)) {
    throw new Error(`limit must be a whole number from 0 to ${largestLimit}, or "default"\n${usage}`);
  }
  await quotas.setInstanceLimit(tenantId, value === 'default' ? null : Number(value));
  const now = await quotas.measureInstanceQuota(tenantId);
  return `tenant ${tenantId}: instances ${now.used} in use of ${now.limit}${value === 'default' ? ' (the default)' : ''}`;
}

if (require.main === module) {
  void (async () => {
    const config = loadQuotaAdminConfigOrExit();
    const database = await connectDatabase({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA });
    const store = createBrokerStore(database, { instanceQuota: { defaultLimit: config.INSTANCE_QUOTA_PER_TENANT } });
    try {
      process.stdout.write(`${await setQuota(process.argv.slice(2), store.quotas)}\n`);
    } finally {
      await store.close();
      await database.close();
    }
  })().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  });
}
