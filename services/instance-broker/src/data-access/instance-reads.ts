import { batchPerTurn } from '@overcast/db';
import { sql, type Kysely } from 'kysely';
import { isUuid } from '../domain/not-found';
import type { InstanceRepository } from '../domain/ports';
import { compileOnce } from './compile-once';
import { instanceColumns, toInstanceRecord, type InstanceTables } from './instances-table';

/**
 * Reads of the instances table. By id (`GET /instances/{id}`, the broker's hottest query, and each provision and
 * follow-up look): the reads of one event-loop turn go as one `id = ANY($1)` query (`batchPerTurn`), built once
 * (compile-once.ts) and prepared like every statement of this Kysely (preparing-pool.ts). The tenant is checked
 * on the row: another tenant's instance is not found.
 */
export function createInstanceReads(db: Kysely<InstanceTables>): InstanceRepository {
  const instances = () => db.selectFrom('instances').select(instanceColumns);

  const findByIds = compileOnce(db, (slot) =>
    instances().where('id', '=', sql<string>`ANY(${slot<string[]>('ids')}::uuid[])`),
  );
  const findRow = batchPerTurn(async (ids: string[]) => {
    const rows = await findByIds({ ids });
    return new Map(rows.map((row) => [row.id, row]));
  });

  async function findById(id: string) {
    // Not a uuid: no such row, and it must not fail the cast for the rest of its batch.
    if (!isUuid(id)) return null;
    // Postgres answers uuids in lower case.
    const row = await findRow(id.toLowerCase());
    return row ? toInstanceRecord(row) : null;
  }

  return {
    findById,

    async findForTenant(tenantId, id) {
      const instance = await findById(id);
      return instance?.tenantId === tenantId ? instance : null;
    },

    async list(tenantId, filters, limit, after) {
      let query = instances().where('tenantId', '=', tenantId);
      for (const key of ['env', 'site', 'role', 'queue', 'provider', 'state'] as const) {
        const value = filters[key];
        if (value !== undefined) query = query.where(key, '=', value);
      }
      if (filters.live) query = query.where('state', '!=', 'terminated');
      if (after)
        query = query.where((eb) => eb(eb.refTuple('createdAt', 'id'), '<', eb.tuple(after.createdAt, after.id)));
      const rows = await query.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toInstanceRecord);
    },

    async listByProvider(provider, states) {
      if (states.length === 0) return [];
      const rows = await instances()
        .where('provider', '=', provider)
        .where('state', 'in', [...states])
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('autoscalingGroupInstances')
                .select('autoscalingGroupInstances.instanceId')
                .whereRef('autoscalingGroupInstances.instanceId', '=', 'instances.id'),
            ),
          ),
        )
        .orderBy('createdAt', 'asc')
        .execute();
      return rows.map(toInstanceRecord);
    },

    async findByIds(ids) {
      if (ids.length === 0) return [];
      return (await findByIds({ ids: [...ids] })).map(toInstanceRecord);
    },

    async findByProviderReference(tenantId, upstreamId, idPrefix) {
      const rows = await instances()
        .where('tenantId', '=', tenantId)
        .where((eb) => {
          const byUpstream = eb('upstreamId', '=', upstreamId);
          if (idPrefix === null) return byUpstream;
          // A uuid range, so the primary key's index answers it (a LIKE on id::text would scan).
          const prefix = idPrefix.toLowerCase();
          const lowest = `${prefix}-0000-0000-0000-000000000000`;
          const highest = `${prefix}-ffff-ffff-ffff-ffffffffffff`;
          return eb.or([byUpstream, eb.between('id', lowest, highest)]);
        })
        .orderBy('createdAt', 'desc')
        .limit(10)
        .execute();
      return rows.map(toInstanceRecord);
    },

    async listByBuild(buildId) {
      const rows = await instances()
        .where('instanceBuildId', '=', buildId)
        .orderBy('createdAt', 'asc')
        .orderBy('id', 'asc')
        .execute();
      return rows.map(toInstanceRecord);
    },

    async madeAutoscalingGroup(buildId) {
      const { made } = await db
        .selectNoFrom(({ exists, selectFrom }) =>
          exists(
            selectFrom('autoscalingGroupBuilds as groupBuild')
              .innerJoin('instances as source', 'source.id', 'groupBuild.instanceId')
              .select('groupBuild.instanceId')
              .where('source.instanceBuildId', '=', buildId)
              .where((eb) => eb.or([eb('groupBuild.step', 'is not', null), eb('groupBuild.state', '=', 'pending')])),
          )
            // Postgres answers a boolean (Kysely's SqlBool allows MySQL's 0 and 1).
            .$castTo<boolean>()
            .as('made'),
        )
        .executeTakeFirstOrThrow();
      return made;
    },
  };
}
