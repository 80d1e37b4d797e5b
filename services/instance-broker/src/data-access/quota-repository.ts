import { qualified } from '@overcast/db';
import type { QuotaRepository, QuotaUsage } from '../domain/ports';
import { liveInstanceStates } from '../domain/records';
import type { BrokerPrismaExecutor } from './prisma-client';

export interface InstanceQuotaSettings {
  /** Live instances per tenant without a limit of its own. */
  defaultLimit: number;
}

/** SQLSTATE of enforce_instance_quotas (migration 20261204100000_tenant_quotas): the statement had no room. */
const quotaExceededState = 'OCQ01';

/** The usage a failed statement names, when it failed for want of instance quota. */
export function instanceQuotaExcessOf(error: unknown): (QuotaUsage & { requested: number }) | null {
  if (typeof error !== 'object' || error === null || (error as { code?: unknown }).code !== quotaExceededState)
    return null;
  const detail = JSON.parse(String((error as { detail?: unknown }).detail)) as {
    limit: number;
    used: number;
    requested: number;
  };
  return { name: 'instances', limit: detail.limit, used: detail.used, requested: detail.requested };
}

export function createQuotaRepository(
  db: BrokerPrismaExecutor,
  schema: string,
  settings: InstanceQuotaSettings,
): QuotaRepository {
  const measure = `SELECT quota_limit, in_use FROM ${qualified(schema, 'lock_instance_quotas')}($1::text[], $2::int[], $3::int, $4::text[])`;
  return {
    async measureInstanceQuota(tenantId) {
      const rows = await db.$queryRawUnsafe<{ quota_limit: number; in_use: number }[]>(
        measure,
        [tenantId],
        [0],
        settings.defaultLimit,
        [...liveInstanceStates],
      );
      const [row] = rows;
      if (!row) throw new Error('lock_instance_quotas answered no row');
      return { name: 'instances', limit: row.quota_limit, used: row.in_use };
    },

    async setInstanceLimit(tenantId, limit) {
      const where = { tenantId_quota: { tenantId, quota: 'instances' } };
      if (limit === null) {
        await db.tenantQuota.deleteMany({ where: where.tenantId_quota });
        return;
      }
      await db.tenantQuota.upsert({
        where,
        create: { tenantId, quota: 'instances', limit },
        update: { limit, updatedAt: new Date() },
      });
    },
  };
}
