import { createEnvelope } from '@overcast/contracts';
import { waitFor } from '@overcast/test-kit';
import { sql } from 'kysely';
import {
  addToOutbox,
  countOutbox,
  createOutboxRelay,
  ensurePlatformTables,
  outboxColumns,
  outboxInsert,
  sqlExecutor,
  type Database,
  type OutboxRelay,
  type OutboxRelayOptions,
} from '../../src';
import { compileSql } from '../../src/compile-sql';
import { commitToOutbox, flakyBus, neverConfirmingBus, outboxEmptied, outboxRows } from '../support/outbox-helpers';
import { doThing, duplicates, startRecordingBus, thingHappened } from '../support/recording-bus';
import { uniqueSchema, type DatabaseTarget } from '../support/targets';

/** Outbox behaviour every target must show (the machine's Postgres and the embedded one alike). */
export function outboxBehaviour(target: () => DatabaseTarget): void {
  const running: Array<OutboxRelay | { stop(): Promise<void> }> = [];

  async function freshOutbox(): Promise<Database> {
    const database = await target().connect(uniqueSchema('outbox'));
    await ensurePlatformTables(database);
    return database;
  }

  async function startRelay(options: OutboxRelayOptions): Promise<OutboxRelay> {
    const relay = createOutboxRelay({ pollIntervalMs: 50, ...options });
    running.push(relay);
    await relay.start();
    return relay;
  }

  async function recordingBus() {
    const recording = await startRecordingBus();
    running.push(recording);
    return recording;
  }

  afterEach(async () => {
    for (const thing of running.splice(0).reverse()) await thing.stop();
  });

  it('publishes a committed message with its envelope unchanged, then removes it from the outbox', async () => {
    const database = await freshOutbox();
    const { bus, received } = await recordingBus();
    const event = thingHappened(1);
    const command = doThing(2);
    await commitToOutbox(database, [
      ['event', event],
      ['command', command],
    ]);

    await startRelay({ database, bus });

    await waitFor('both messages on the bus', () => received.length === 2);
    expect(received).toEqual([event, command]);
    await outboxEmptied(database);
    expect(await countOutbox(database)).toEqual({ pending: 0, failing: 0 });
  });

  it('adds messages in the same single statement as the rows they announce (outboxInsert), or none when it fails', async () => {
    const database = await freshOutbox();
    const things = `"${database.schema}"."things"`;
    await database.pool.query(`CREATE TABLE ${things} (id int PRIMARY KEY)`);
    const { bus, received } = await recordingBus();
    const write = (ids: number[]) => {
      const messages = ids.map((id) => ({ kind: 'event' as const, envelope: thingHappened(id) }));
      const statement = sql`WITH rows AS (INSERT INTO ${sql.raw(things)} SELECT * FROM unnest(${ids}::int[])) ${outboxInsert(database.schema, outboxColumns(messages))}`;
      const { sql: text, parameters } = compileSql(statement);
      return database.pool.query(text, [...parameters]).then(() => messages.map((message) => message.envelope));
    };
    const written = await write([1, 2, 3]);
    // A duplicate row fails the statement: neither its rows nor its messages are kept.
    await expect(write([4, 1])).rejects.toThrow(/duplicate key/);
    expect(() => outboxColumns([{ kind: 'nonsense' as never, envelope: thingHappened(5) }])).toThrow(/kind/);

    await startRelay({ database, bus });

    await waitFor('the three messages', () => received.length === 3);
    expect(received).toEqual(written);
    expect((await database.pool.query(`SELECT id FROM ${things} ORDER BY id`)).rows).toEqual([
      { id: 1 },
      { id: 2 },
      { id: 3 },
    ]);
    // Nothing is left to publish: the failed statement's messages never reached the outbox.
    await outboxEmptied(database);
    expect(received).toHaveLength(3);
  });

  it('never publishes a message whose transaction rolled back', async () => {
    const database = await freshOutbox();
    const { bus, received } = await recordingBus();
    const client = await database.pool.connect();
    await client.query('BEGIN');
    await addToOutbox(sqlExecutor(client, database.schema), 'event', thingHappened(1));
    await client.query('ROLLBACK');
    client.release();
    const marker = thingHappened(2);
    await commitToOutbox(database, [['event', marker]]);

    await startRelay({ database, bus });

    await waitFor('the committed marker', () => received.length === 1);
    expect(received.map((envelope) => envelope.id)).toEqual([marker.id]);
  });

  it('wakes on commit through LISTEN/NOTIFY instead of waiting for the next poll', async () => {
    const database = await freshOutbox();
    const { bus, received } = await recordingBus();
    await startRelay({ database, bus, pollIntervalMs: 600_000 });
    await commitToOutbox(database, [['event', thingHappened(1)]]);
    // The first message may ride on the relay's first poll; after it, the next poll is ten minutes away.
    await waitFor('the first message', () => received.length === 1);

    await commitToOutbox(database, [['event', thingHappened(2)]]);

    await waitFor('the second message, long before the next poll', () => received.length === 2);
  });

  it('publishes in insertion order, across batches', async () => {
    const database = await freshOutbox();
    const { bus, received } = await recordingBus();
    const events = Array.from({ length: 30 }, (_, n) => thingHappened(n));
    await commitToOutbox(
      database,
      events.map((event) => ['event', event] as const),
    );

    await startRelay({ database, bus, batchSize: 7 });

    await waitFor('all 30 messages', () => received.length === 30);
    expect(received.map((envelope) => envelope.id)).toEqual(events.map((event) => event.id));
  });

  it('loses nothing when a relay dies between commit and publish: a new relay publishes each message exactly once', async () => {
    const database = await freshOutbox();
    const events = Array.from({ length: 20 }, (_, n) => thingHappened(n));
    await commitToOutbox(
      database,
      events.map((event) => ['event', event] as const),
    );
    const deadBroker = neverConfirmingBus();
    const doomed = createOutboxRelay({ database, bus: deadBroker, claimTimeoutMs: 300, publishTimeoutMs: 600_000 });
    await doomed.start();
    await waitFor('the doomed relay to claim every row', async () =>
      (await outboxRows(database)).every((row) => row.claimed_by),
    );
    // From here on the doomed relay is as good as dead: no confirm ever comes, its claims just expire.

    const { bus, received } = await recordingBus();
    const survivor = await startRelay({ database, bus });

    await waitFor('every message from the survivor', () => received.length === 20);
    expect(duplicates(received)).toEqual([]);
    expect(new Set(received.map((envelope) => envelope.id))).toEqual(new Set(events.map((event) => event.id)));
    deadBroker.fail();
    await doomed.stop();
    await survivor.stop();
    expect(received).toHaveLength(20);
    expect(await countOutbox(database)).toEqual({ pending: 0, failing: 0 });
  });

  it('stops without leaving claims behind, so the next relay carries on at once and publishes each message once', async () => {
    const database = await freshOutbox();
    const { bus, received } = await recordingBus();
    await commitToOutbox(
      database,
      Array.from({ length: 50 }, (_, n) => ['event', thingHappened(n)] as const),
    );
    const first = createOutboxRelay({ database, bus, batchSize: 5 });
    await first.start();
    await first.stop();

    expect((await outboxRows(database)).filter((row) => row.claimed_by)).toEqual([]);
    await startRelay({ database, bus, batchSize: 5, claimTimeoutMs: 600_000 });
    await waitFor('all 50 messages', () => received.length === 50);
    expect(duplicates(received)).toEqual([]);
  });

  it('keeps messages through a broker outage and publishes each, in order, once the broker is back', async () => {
    const database = await freshOutbox();
    const { bus, received } = await recordingBus();
    const broker = flakyBus(bus);
    const events = Array.from({ length: 10 }, (_, n) => thingHappened(n));
    await commitToOutbox(
      database,
      events.map((event) => ['event', event] as const),
    );

    await startRelay({ database, bus: broker, retryBaseDelayMs: 10, retryMaxDelayMs: 50 });
    await waitFor('a few failed rounds', () => broker.refused >= 30);
    expect(received).toEqual([]);
    expect(
      (await outboxRows(database)).every((row) => row.attempts > 0 && row.last_error === 'broker unreachable'),
    ).toBe(true);
    broker.down = false;

    await waitFor('all 10 messages after recovery', () => received.length === 10, { timeoutMs: 15_000 });
    expect(received.map((envelope) => envelope.id)).toEqual(events.map((event) => event.id));
    await outboxEmptied(database);
    expect(await countOutbox(database)).toEqual({ pending: 0, failing: 0 });
  });

  it('does not let a message the broker refuses hold back the others', async () => {
    const database = await freshOutbox();
    const { bus, received } = await recordingBus();
    const unroutable = createEnvelope('db_test.nobody_consumes_this', 1, {});
    const before = thingHappened(1);
    const after = thingHappened(2);
    await commitToOutbox(database, [
      ['event', before],
      ['command', unroutable],
      ['event', after],
    ]);

    await startRelay({ database, bus, retryBaseDelayMs: 60_000, retryMaxDelayMs: 60_000 });

    await waitFor('the routable messages', () => received.length === 2);
    expect(received.map((envelope) => envelope.id)).toEqual([before.id, after.id]);
    // The refused row is given back after the batch settles, which may be after the consumer saw the others.
    const [stuck] = await waitFor('the refused row to be given back', async () => {
      const rows = await outboxRows(database);
      return rows.length === 1 && rows[0]?.attempts === 1 && rows;
    });
    expect(stuck).toMatchObject({ message_id: unroutable.id, attempts: 1 });
    expect(stuck?.last_error).toMatch(/no queue takes db_test.nobody_consumes_this/);
    // Held back by the first step of the relay's backoff: half to all of retryBaseDelayMs (a little has passed).
    expect(stuck?.waits_ms).toBeGreaterThan(29_000);
    expect(stuck?.waits_ms).toBeLessThanOrEqual(60_000);
  });

  it('lets two relays share one outbox: every message is published exactly once', async () => {
    const database = await freshOutbox();
    const replica = await target().connect(database.schema);
    const { bus, received } = await recordingBus();
    await commitToOutbox(
      database,
      Array.from({ length: 200 }, (_, n) => ['event', thingHappened(n)] as const),
    );

    await Promise.all([
      startRelay({ database, bus, batchSize: 10 }),
      startRelay({ database: replica, bus, batchSize: 10 }),
    ]);

    await waitFor('all 200 messages', () => received.length >= 200);
    // Every row is deleted only after its publish was confirmed, so once none is left a duplicate would be here too.
    await outboxEmptied(database);
    expect(received).toHaveLength(200);
    expect(duplicates(received)).toEqual([]);
  });
}
