import { qualified } from '@overcast/db';
import { checkQuota, type QuotaName, type TenantQuotaLimits } from '../domain/tenant-quotas';

const tables: Record<QuotaName, string> = { districts: 'districts', apps: 'apps' };

/** Runs one statement and answers its rows (Prisma's raw query, see prismaRows). */
export type RowsOf = <T>(query: string, values: unknown[]) => Promise<T[]>;

interface PrismaExecutor {
  $queryRawUnsafe<T>(query: string, ...values: unknown[]): Promise<T>;
}

export const prismaRows =
  (db: PrismaExecutor): RowsOf =>
  <T>(query: string, values: unknown[]) =>
    db.$queryRawUnsafe<T[]>(query, ...values);

/** How many of `name` the tenant holds, against its limit. */
export async function measureQuota(rows: RowsOf, schema: string, tenantId: string, name: QuotaName, limit: number) {
  const [row] = await rows<{ used: number }>(
    `SELECT count(*)::int AS used FROM ${qualified(schema, tables[name])} WHERE tenant_id = $1`,
    [tenantId],
  );
  return { name, limit, used: row?.used ?? 0 };
}

/**
 * The districts quota (apps have a count row per tenant: see app-changes.ts). Last in the transaction that inserted
 * one: the tenant's quota lock (held to the transaction's end, so every create
 * that locked before has committed and is counted, and none after can count without this one), then the count, the
 * new row among it, or the refusal, which rolls the insert back. Taken last so creates wait on each other only from
 * the count to the commit.
 */
export async function takeQuota(
  rows: RowsOf,
  schema: string,
  tenantId: string,
  name: QuotaName,
  limits: TenantQuotaLimits,
): Promise<void> {
  await rows('SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext($1))', [`app-manager.quota.${name}:${tenantId}`]);
  const usage = await measureQuota(rows, schema, tenantId, name, limits[name]);
  checkQuota({ ...usage, used: usage.used - 1 }, 1);
}

/** In the transaction that deletes `count` of the tenant's apps: its count row (see the migration) moves with it. */
export async function uncountApps(rows: RowsOf, schema: string, tenantId: string, count: number): Promise<void> {
  if (count === 0) return;
  await rows(
    `UPDATE ${qualified(schema, 'tenant_app_counts')} SET apps = apps - $2::int WHERE tenant_id = $1 RETURNING apps`,
    [tenantId, count],
  );
}
