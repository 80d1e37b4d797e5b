import type { Envelope } from '@overcast/contracts';
import {
  inboxEntry,
  inboxInsert,
  outboxColumns,
  outboxInsert,
  type MessageKind,
  type OutboxColumns,
} from '@overcast/db';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { InboxEntry, InstanceChanges } from '../domain/ports';
import { liveInstanceStates, type InstanceRecord } from '../domain/records';
import { compileOnce, type SlotOf } from './compile-once';
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

interface Column<T> {
  name: keyof T & string;
  type: string;
}

/** `unnest` of one array per column (each cast by the column's type), the arrays from `valueOf`. */
function unnestColumns<T>(columns: readonly Column<T>[], valueOf: (column: Column<T>) => unknown) {
  const arrays = columns.map((column) => sql`${valueOf(column)}::${sql.raw(column.type)}[]`);
  return sql`unnest(${sql.join(arrays)})`.as('rows');
}

/** The arrays of `unnestColumns` for `rows`, by the names `slotted` gives their slots. */
function columnValues<T>(rows: readonly T[], columns: readonly Column<T>[], slotted: (column: Column<T>) => string) {
  const values: Record<string, unknown[]> = {};
  for (const column of columns) values[slotted(column)] = rows.map((row) => sent(row[column.name]));
  return values;
}

/** A statement of SQL text as a WITH clause (Kysely parenthesizes the clauses it builds, not raw ones). */
const clause = (statement: RawBuilder<unknown>) => sql<Record<string, unknown>>`(${statement})`;

const instanceColumnList: Column<InstanceRecord>[] = instanceColumns.map((name) => ({
  name,
  type: instanceColumnTypes[name],
}));

type ClaimRow = KeyClaim & { tenantId: string; instanceId: string; createdAt: Date };

const keyColumnList: Column<ClaimRow>[] = [
  { name: 'tenantId', type: 'text' },
  { name: 'key', type: 'text' },
  { name: 'requestHash', type: 'text' },
  { name: 'instanceId', type: 'uuid' },
  // The key's age is the instance's (the use case's clock), which its expiry is measured by.
  { name: 'createdAt', type: 'timestamptz' },
];

const outboxColumnNames = ['kind', 'messageId', 'messageType', 'envelope'] as const;

const outboxSlots = (slot: SlotOf): OutboxColumns => ({
  kind: slot('outbox.kind'),
  messageId: slot('outbox.messageId'),
  messageType: slot('outbox.messageType'),
  envelope: slot('outbox.envelope'),
});

const outboxValues = (messages: readonly OutboxMessage[]) => {
  const columns = outboxColumns(messages);
  return Object.fromEntries(outboxColumnNames.map((name) => [`outbox.${name}`, columns[name]]));
};

/**
 * New instances, their Idempotency-Keys and their outbox messages as one statement (atomic, one round trip), for
 * every create of an event-loop turn. The statement takes its tenants' instance quotas first
 * (enforce_instance_quotas: under their locks, before any row; an uncorrelated sub-select runs once), so a tenant
 * over its limit fails it whole. A key already held fails it too (the key's primary key; a concurrent holder's
 * transaction is waited for): the instance is then not written, and the caller answers the holder's instance.
 * The key's foreign key to its instance is checked at the end of the statement, after both rows are in.
 * Built once (compileOnce): rows and messages go as one array per column, whatever their number.
 */
export function createInstancesStatement(db: Kysely<InstanceTables>, schema: string, quota: InstanceQuotaSettings) {
  const run = compileOnce(db, (slot) => {
    const quotaTaken = sql<boolean>`(SELECT ${sql.id(schema, 'enforce_instance_quotas')}(${slot('tenantIds')}::text[], ${quota.defaultLimit}::int, ${[...liveInstanceStates]}::text[]))`;
    return db
      .with('inserted', (query) =>
        query
          .insertInto('instances')
          .columns(instanceColumns)
          .expression(
            query
              .selectFrom(unnestColumns(instanceColumnList, ({ name }) => slot(`instance.${name}`)))
              .selectAll()
              .where(quotaTaken),
          ),
      )
      .with('claimed', (query) =>
        query
          .insertInto('idempotencyKeys')
          .columns(keyColumnList.map(({ name }) => name))
          .expression(query.selectFrom(unnestColumns(keyColumnList, ({ name }) => slot(`claim.${name}`))).selectAll()),
      )
      .with('messages', () => clause(outboxInsert(schema, outboxSlots(slot))))
      .selectNoFrom(sql<number>`1`.as('written'));
  });

  return async (creations: readonly InstanceCreation[]): Promise<void> => {
    const instances = creations.map((creation) => creation.instance);
    const claims: ClaimRow[] = creations.flatMap(({ instance, claim }) =>
      claim ? [{ ...claim, tenantId: instance.tenantId, instanceId: instance.id, createdAt: instance.createdAt }] : [],
    );
    await run({
      ...columnValues(instances, instanceColumnList, ({ name }) => `instance.${name}`),
      ...columnValues(claims, keyColumnList, ({ name }) => `claim.${name}`),
      tenantIds: instances.map((instance) => instance.tenantId),
      ...outboxValues(creations.flatMap((creation) => creation.messages)),
    });
  };
}

/**
 * A conditional state change as one statement of data-modifying WITH clauses: the inbox row (when given; else a
 * row that is always there), the update if the row is still in the state read and the inbox row is new, and the
 * messages if it updated. `fresh` is false when the inbox had the message; `updated` whether the row changed.
 * Built once per shape (the fields changed, with or without an inbox entry).
 */
export function createInstanceTransitions(db: Kysely<InstanceTables>, schema: string) {
  const shapes = new Map<string, ReturnType<typeof build>>();

  function build(fields: readonly (keyof InstanceChanges)[], withInbox: boolean) {
    return compileOnce(db, (slot) => {
      // Slots for the changed fields only: the statement sets what this shape changes.
      const changes = Object.fromEntries(fields.map((field) => [field, slot(`change.${field}`)])) as InstanceChanges;
      const inbox = { consumer: slot<string>('inbox.consumer'), messageId: slot<string>('inbox.messageId') };
      return db
        .with('inbox', () => clause(withInbox ? inboxInsert(schema, inbox) : sql`SELECT 1`))
        .with('updated', (query) =>
          query
            .updateTable('instances')
            .set({ ...changes, updatedAt: slot<Date>('updatedAt') })
            .where('id', '=', slot<string>('id'))
            .where('state', '=', slot<InstanceRecord['state']>('state'))
            .where(sql<boolean>`EXISTS (SELECT 1 FROM inbox)`)
            .returning('id'),
        )
        .with('messages', () =>
          clause(sql`${outboxInsert(schema, outboxSlots(slot))} WHERE EXISTS (SELECT 1 FROM updated)`),
        )
        .selectNoFrom([
          sql<boolean>`EXISTS (SELECT 1 FROM inbox)`.as('fresh'),
          sql<boolean>`EXISTS (SELECT 1 FROM updated)`.as('updated'),
        ]);
    });
  }

  return async (change: InstanceTransition): Promise<{ fresh: boolean; updated: boolean }> => {
    const fields = (Object.keys(change.changes) as (keyof InstanceChanges)[]).filter(
      (field) => change.changes[field] !== undefined,
    );
    const shape = `${fields.join(',')}${change.inbox ? '+inbox' : ''}`;
    let run = shapes.get(shape);
    if (!run) shapes.set(shape, (run = build(fields, change.inbox !== undefined)));
    const inbox = change.inbox ? inboxEntry(change.inbox.consumer, change.inbox.messageId) : null;
    const [outcome] = await run({
      ...Object.fromEntries(fields.map((field) => [`change.${field}`, change.changes[field]])),
      updatedAt: change.updatedAt,
      id: change.instance.id,
      state: change.instance.state,
      ...(inbox && { 'inbox.consumer': inbox.consumer, 'inbox.messageId': inbox.messageId }),
      ...outboxValues(change.messages),
    });
    return outcome ?? { fresh: false, updated: false };
  };
}

/** Rows inserted inside a transaction that writes more with them (an instance build's start). */
export function insertInstancesStatement(db: Kysely<InstanceTables>, instances: readonly InstanceRecord[]) {
  const values = columnValues(instances, instanceColumnList, ({ name }) => name);
  return db
    .insertInto('instances')
    .columns(instanceColumns)
    .expression((query) => query.selectFrom(unnestColumns(instanceColumnList, ({ name }) => values[name])).selectAll());
}
