import { qualified } from '@overcast/db';
import { checkQuota, type QuotaName, type TenantQuotaLimits } from '../domain/tenant-quotas';
import type { AppManagerTransaction } from './prisma-client';

const tables: Record<QuotaName, string> = { districts: 'districts', apps: 'apps' };

interface Executor {
  $queryRawUnsafe<T>(query: string, ...values: unknown[]): Promise<T>;
}

/** How many of `name` the tenant holds, against its limit. */
export async function measureQuota(db: Executor, schema: string, tenantId: string, name: QuotaName, limit: number) {
  const rows = await db.$queryRawUnsafe<{ used: number }[]>(
    `SELECT count(*)::int AS used FROM ${qualified(schema, tables[name])} WHERE tenant_id = $1`,
    tenantId,
  );
  return { name, limit, used: rows[0]?.used ?? 0 };
}

/**
 * Last in the transaction that inserted one: the tenant's quota lock (held to the transaction's end, so every create
 * that locked before has committed and is counted, and none after can count without this one), then the count, the
 * new row among it, or the refusal, which rolls the insert back. Taken last so creates wait on each other only from
 * the count to the commit.
 */
export async function takeQuota(
  tx: AppManagerTransaction,
  schema: string,
  tenantId: string,
  name: QuotaName,
  limits: TenantQuotaLimits,
): Promise<void> {
  await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtext($1))', `app-manager.quota.${name}:${tenantId}`);
  const usage = await measureQuota(tx, schema, tenantId, name, limits[name]);
  checkQuota({ ...usage, used: usage.used - 1 }, 1);
}
