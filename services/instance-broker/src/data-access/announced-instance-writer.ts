import { batchPerTurn, outboxInsert, qualified, type Database, type MessageKind } from '@overcast/db';
import type { Envelope } from '@overcast/contracts';
import { liveInstanceStates, type InstanceRecord } from '../domain/records';
import type { InstanceQuotaSettings } from './quota-repository';

export interface AnnouncedInstance {
  instance: InstanceRecord;
  messages: { kind: MessageKind; envelope: Envelope }[];
}

const columns = [
  ['id', 'uuid', (row: InstanceRecord) => row.id],
  ['tenant_id', 'text', (row: InstanceRecord) => row.tenantId],
  ['provider', 'text', (row: InstanceRecord) => row.provider],
  ['image', 'text', (row: InstanceRecord) => row.image],
  ['instance_type', 'text', (row: InstanceRecord) => row.instanceType],
  ['public_ssh_key', 'text', (row: InstanceRecord) => row.publicSshKey],
  ['state', 'text', (row: InstanceRecord) => row.state],
  ['ip_address', 'text', (row: InstanceRecord) => row.ipAddress],
  ['upstream_id', 'text', (row: InstanceRecord) => row.upstreamId],
  ['error_reason', 'text', (row: InstanceRecord) => row.errorReason],
  ['env', 'text', (row: InstanceRecord) => row.env],
  ['site', 'text', (row: InstanceRecord) => row.site],
  ['role', 'text', (row: InstanceRecord) => row.role],
  ['queue', 'text', (row: InstanceRecord) => row.queue],
  ['instance_build_id', 'uuid', (row: InstanceRecord) => row.instanceBuildId],
  ['created_at', 'timestamptz', (row: InstanceRecord) => row.createdAt.toISOString()],
  ['updated_at', 'timestamptz', (row: InstanceRecord) => row.updatedAt.toISOString()],
] as const;

const tenantIdsParameter = columns.findIndex(([name]) => name === 'tenant_id') + 1;

/** What one write of a batch came to: a failure is answered to that write's caller alone. */
type WriteOutcome = { ok: true } | { ok: false; error: unknown };

const written: WriteOutcome = { ok: true };

/**
 * New instance rows and their outbox messages, every one asked for in the same event-loop turn, in one
 * `INSERT … SELECT FROM unnest(…)` statement with the outbox insert beside it: atomic, one round trip, and no
 * Prisma on the path (the busiest write there is: the create transaction cost five round trips and most of
 * the broker's CPU per create). A statement fails whole, so when a batch fails each of its writes goes again on
 * its own: only the write that cannot be stored fails, never the other requests (other tenants') of its turn.
 * The statement takes its tenants' instance quotas first (enforce_instance_quotas: under their locks, before any
 * row), so a batch with a tenant over its limit fails too, and one by one only that tenant's extra rows fail.
 */
export function createAnnouncedInstanceWriter(
  database: Database,
  quota: InstanceQuotaSettings,
): (write: AnnouncedInstance) => Promise<void> {
  const { pool, schema } = database;

  async function insert(writes: AnnouncedInstance[]): Promise<void> {
    const rows = writes.map((write) => write.instance);
    const parameters: unknown[] = [
      ...columns.map(([, , valueOf]) => rows.map(valueOf)),
      quota.defaultLimit,
      [...liveInstanceStates],
    ];
    const unnest = columns.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ');
    // An uncorrelated sub-select runs once, before the first row.
    const takeQuota = `(SELECT ${qualified(schema, 'enforce_instance_quotas')}($${tenantIdsParameter}::text[], $${columns.length + 1}::int, $${columns.length + 2}::text[]))`;
    const messages = outboxInsert(
      schema,
      writes.flatMap((write) => write.messages),
      parameters,
    );
    await pool.query(
      `WITH inserted AS (INSERT INTO ${qualified(schema, 'instances')} (${columns.map(([name]) => name).join(', ')}) SELECT * FROM unnest(${unnest}) WHERE ${takeQuota})
       ${messages}`,
      parameters,
    );
  }

  const insertOne = (write: AnnouncedInstance): Promise<WriteOutcome> =>
    insert([write]).then(
      () => written,
      (error: unknown) => ({ ok: false, error }),
    );

  const insertAll = batchPerTurn(async (writes: AnnouncedInstance[]) => {
    const [only] = writes;
    if (writes.length === 1 && only) return new Map([[only, await insertOne(only)]]);
    try {
      await insert(writes);
      return new Map(writes.map((write) => [write, written]));
    } catch {
      // The statement wrote nothing: the writes of this turn are retried one by one, each answering for itself.
      return new Map(await Promise.all(writes.map(async (write) => [write, await insertOne(write)] as const)));
    }
  });

  return async (write) => {
    const outcome = await insertAll(write);
    if (outcome && !outcome.ok) throw outcome.error;
  };
}
