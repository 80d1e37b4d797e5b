import type { Kysely } from 'kysely';
import type { IdempotencyKeyRepository } from '../domain/ports';
import type { InstanceTables } from './instances-table';

/** Reads and sweeps of `idempotency_keys`; a key is written only with its instance (createInstancesStatement). */
export function createIdempotencyKeys(db: Kysely<InstanceTables>): IdempotencyKeyRepository {
  return {
    async find(tenantId, key) {
      const row = await db
        .selectFrom('idempotencyKeys')
        .select(['requestHash', 'instanceId', 'createdAt'])
        .where('tenantId', '=', tenantId)
        .where('key', '=', key)
        .executeTakeFirst();
      return row ?? null;
    },

    async deleteIfCreatedBefore(tenantId, key, cutoff) {
      await db
        .deleteFrom('idempotencyKeys')
        .where('tenantId', '=', tenantId)
        .where('key', '=', key)
        .where('createdAt', '<', cutoff)
        .execute();
    },

    async deleteCreatedBefore(cutoff) {
      const { numDeletedRows } = await db
        .deleteFrom('idempotencyKeys')
        .where('createdAt', '<', cutoff)
        .executeTakeFirst();
      return Number(numDeletedRows);
    },
  };
}
