import { batchPerTurn, qualified, type Database } from '@overcast/db';
import { InstanceState, InstanceType } from '@overcast/contracts';
import { isUuid } from '../domain/not-found';
import type { InstanceRecord } from '../domain/records';

interface InstanceRow extends Omit<InstanceRecord, 'state' | 'instanceType'> {
  state: string;
  instanceType: string;
}

/**
 * Reads of one instance by id outside a transaction (`GET /instances/{id}`, the broker's hottest query, and
 * each provision and follow-up look) as plain SQL: through Prisma it cost most of the broker's CPU per request.
 * The reads of one event-loop turn go as one `id = ANY($1)` query (`batchPerTurn`), a named statement:
 * planning this wide row on every call cost Postgres twice the rest of the query. The tenant is
 * checked on the row: another tenant's instance is not found.
 */
export function createInstanceLookup(database: Database) {
  const { pool, schema } = database;
  const text = `SELECT id, tenant_id AS "tenantId", provider, image, instance_type AS "instanceType",
      public_ssh_key AS "publicSshKey", state, ip_address AS "ipAddress", upstream_id AS "upstreamId",
      error_reason AS "errorReason", env, site, role, queue, instance_build_id AS "instanceBuildId",
      created_at AS "createdAt", updated_at AS "updatedAt"
    FROM ${qualified(schema, 'instances')} WHERE id = ANY($1::uuid[])`;
  const name = `${schema}.find_instances_by_id`;
  const findRow = batchPerTurn(async (ids: string[]) => {
    const { rows } = await pool.query<InstanceRow>({ name, text, values: [ids] });
    return new Map(rows.map((row) => [row.id, row]));
  });

  async function findById(id: string): Promise<InstanceRecord | null> {
    // Not a uuid: no such row, and it must not fail the cast for the rest of its batch.
    if (!isUuid(id)) return null;
    // Postgres answers uuids in lower case.
    const row = await findRow(id.toLowerCase());
    // Parsing the enums on the way out means a bad row fails loudly here, not somewhere downstream.
    return row
      ? { ...row, state: InstanceState.parse(row.state), instanceType: InstanceType.parse(row.instanceType) }
      : null;
  }

  return {
    findById,
    async findForTenant(tenantId: string, id: string): Promise<InstanceRecord | null> {
      const instance = await findById(id);
      return instance?.tenantId === tenantId ? instance : null;
    },
  };
}
