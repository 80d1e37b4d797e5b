import type { Envelope } from '@overcast/contracts';
import { inboxInsert, outboxInsert, type MessageKind } from '@overcast/db';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { InboxEntry, InstanceChanges } from '../domain/ports';
import { liveInstanceStates, type InstanceRecord } from '../domain/records';
import { instanceColumns, instanceColumnTypes, type InstanceTables } from './instances-table';
import type { InstanceQuotaSettings } from './quota-repository';

export type OutboxMessage = { kind: MessageKind; envelope: Envelope };

/** An Idempotency-Key to claim with the instance it creates: a key another request holds fails the statement. */
export interface KeyClaim {
  key: string;
  requestHash: string;
}

export interface InstanceCreation {
  instance: InstanceRecord;
  messages: OutboxMessage[];
  /** Null without an Idempotency-Key. */
  claim: KeyClaim | null;
}

export interface InstanceTransition {
  instance: InstanceRecord;
  changes: InstanceChanges;
  updatedAt: Date;
  messages: OutboxMessage[];
  inbox?: InboxEntry;
}

/** Dates go as ISO-8601 text (what each column's cast reads), whoever sends the statement (pg, Prisma). */
const sent = (value: unknown): unknown => (value instanceof Date ? value.toISOString() : value);

/** `unnest` of one array per column: each row's values, cast by the column's type. */
function rowsOf<T>(rows: readonly T[], columns: readonly { name: keyof T; type: string }[]) {
  const arrays = columns.map(({ name, type }) => sql`${rows.map((row) => sent(row[name]))}::${sql.raw(type)}[]`);
  return sql`unnest(${sql.join(arrays)})`.as('rows');
}

/** A statement of SQL text as a WITH clause (Kysely parenthesizes the clauses it builds, not raw ones). */
const clause = (statement: RawBuilder<unknown>) => sql<Record<string, unknown>>`(${statement})`;

const instanceColumnList = instanceColumns.map((name) => ({ name, type: instanceColumnTypes[name] }));
const keyColumnList = [
  { name: 'tenantId', type: 'text' },
  { name: 'key', type: 'text' },
  { name: 'requestHash', type: 'text' },
  { name: 'instanceId', type: 'uuid' },
  // The key's age is the instance's (the use case's clock), which its expiry is measured by.
  { name: 'createdAt', type: 'timestamptz' },
] as const;

/**
 * New instances, their Idempotency-Keys and their outbox messages as one statement (atomic, one round trip), for
 * every create of an event-loop turn. The statement takes its tenants' instance quotas first
 * (enforce_instance_quotas: under their locks, before any row; an uncorrelated sub-select runs once), so a tenant
 * over its limit fails it whole. A key already held fails it too (the key's primary key; a concurrent holder's
 * transaction is waited for): the instance is then not written, and the caller answers the holder's instance.
 * The key's foreign key to its instance is checked at the end of the statement, after both rows are in.
 */
export function createInstancesStatement(
  db: Kysely<InstanceTables>,
  schema: string,
  quota: InstanceQuotaSettings,
  creations: readonly InstanceCreation[],
) {
  const instances = creations.map((creation) => creation.instance);
  const claims = creations.flatMap(({ instance, claim }) =>
    claim ? [{ ...claim, tenantId: instance.tenantId, instanceId: instance.id, createdAt: instance.createdAt }] : [],
  );
  const tenantIds = instances.map((instance) => instance.tenantId);
  const quotaTaken = sql<boolean>`(SELECT ${sql.id(schema, 'enforce_instance_quotas')}(${tenantIds}::text[], ${quota.defaultLimit}::int, ${[...liveInstanceStates]}::text[]))`;
  return db
    .with('inserted', (query) =>
      query
        .insertInto('instances')
        .columns(instanceColumns)
        .expression(query.selectFrom(rowsOf(instances, instanceColumnList)).selectAll().where(quotaTaken)),
    )
    .with('claimed', (query) =>
      query
        .insertInto('idempotencyKeys')
        .columns(keyColumnList.map(({ name }) => name))
        .expression(query.selectFrom(rowsOf(claims, keyColumnList)).selectAll()),
    )
    .with('messages', () =>
      clause(
        outboxInsert(
          schema,
          creations.flatMap((creation) => creation.messages),
        ),
      ),
    )
    .selectNoFrom(sql<number>`1`.as('written'));
}

/**
 * A conditional state change as one statement of data-modifying WITH clauses: the inbox row (when given; else a
 * row that is always there), the update if the row is still in the state read and the inbox row is new, and the
 * messages if it updated. `fresh` is false when the inbox had the message; `updated` whether the row changed.
 */
export function instanceTransitionStatement(db: Kysely<InstanceTables>, schema: string, change: InstanceTransition) {
  const { instance, inbox } = change;
  return db
    .with('inbox', () => clause(inbox ? inboxInsert(schema, inbox.consumer, inbox.messageId) : sql`SELECT 1`))
    .with('updated', (query) =>
      query
        .updateTable('instances')
        .set({ ...change.changes, updatedAt: change.updatedAt })
        .where('id', '=', instance.id)
        .where('state', '=', instance.state)
        .where(sql<boolean>`EXISTS (SELECT 1 FROM inbox)`)
        .returning('id'),
    )
    .with('messages', () => clause(sql`${outboxInsert(schema, change.messages)} WHERE EXISTS (SELECT 1 FROM updated)`))
    .selectNoFrom([
      sql<boolean>`EXISTS (SELECT 1 FROM inbox)`.as('fresh'),
      sql<boolean>`EXISTS (SELECT 1 FROM updated)`.as('updated'),
    ]);
}

/** Rows inserted inside a transaction that writes more with them (an instance build's start). */
export function insertInstancesStatement(db: Kysely<InstanceTables>, instances: readonly InstanceRecord[]) {
  return db
    .insertInto('instances')
    .columns(instanceColumns)
    .expression((query) => query.selectFrom(rowsOf(instances, instanceColumnList)).selectAll());
}
