import type { IdempotencyKeyRepository } from '../domain/ports';
import type { BrokerPrismaExecutor } from './prisma-client';

export function createIdempotencyKeyRepository(db: BrokerPrismaExecutor): IdempotencyKeyRepository {
  return {
    async find(tenantId, key) {
      return db.idempotencyKey.findUnique({
        where: { tenantId_key: { tenantId, key } },
        select: { requestHash: true, instanceId: true, createdAt: true },
      });
    },

    async claim(tenantId, key, requestHash, instanceId) {
      // ON CONFLICT DO NOTHING waits for a concurrent claimer's transaction, then reports whether we won.
      const inserted = await db.idempotencyKey.createMany({
        data: [{ tenantId, key, requestHash, instanceId }],
        skipDuplicates: true,
      });
      return inserted.count === 1;
    },

    async deleteIfCreatedBefore(tenantId, key, cutoff) {
      await db.idempotencyKey.deleteMany({ where: { tenantId, key, createdAt: { lt: cutoff } } });
    },

    async deleteCreatedBefore(cutoff) {
      const { count } = await db.idempotencyKey.deleteMany({ where: { createdAt: { lt: cutoff } } });
      return count;
    },
  };
}
