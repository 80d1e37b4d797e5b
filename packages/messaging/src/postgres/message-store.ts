import type { Pool } from 'pg';
import type { DeadLetter } from '../bus';
import { deadLetterFrom } from '../core/dead-letter';
import type { MessageOutcome } from '../core/handle-message';
import { ownerLockClass } from './bus-names';
import { storableText } from './storable-text';
import type { BusNames } from './bus-names';

export interface Publication {
  exchange: string;
  routingKey: string;
  body: string;
}

/** A claimed row: `deliveries` is the fencing token its settle must present. */
export interface ClaimedMessage {
  id: string;
  body: string;
  attempt: number;
  deliveries: number;
}

export interface Settlement {
  message: ClaimedMessage;
  outcome: MessageOutcome;
}

/** The SQL of the durable queues: every statement is one round trip and its own transaction. */
export class MessageStore {
  constructor(
    private readonly pool: Pool,
    private readonly names: BusNames,
  ) {}

  /** Binds idempotently; bindings are never removed, as a durable queue's are not. */
  async bind(exchange: string, routingKeys: string[], queue: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.names.table('bindings')} (exchange, routing_key, queue)
       SELECT $1, routing_key, $3 FROM unnest($2::text[]) AS k(routing_key)
       ON CONFLICT DO NOTHING`,
      [exchange, routingKeys, queue],
    );
  }

  /**
   * Inserts one row per bound queue per publication and wakes those queues' consumers; which ones found a queue.
   * Bodies are JSON text (no NUL, lone surrogates escaped), so no publication can fail the others of its batch.
   */
  async publish(publications: Publication[]): Promise<boolean[]> {
    const result = await this.pool.query<{ ordinal: number | null }>(
      `WITH input AS (
         SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) AS i(ordinal, exchange, routing_key, body)
       ), routes AS (
         SELECT i.ordinal, b.queue, i.body FROM input i
         JOIN ${this.names.table('bindings')} b ON b.exchange = i.exchange AND b.routing_key = i.routing_key
       ), inserted AS (
         INSERT INTO ${this.names.table('messages')} (queue, body) SELECT queue, body FROM routes ORDER BY ordinal RETURNING queue
       )
       SELECT ordinal FROM routes
       UNION ALL
       SELECT NULL FROM (SELECT DISTINCT queue FROM inserted) q, pg_notify($5, q.queue)`,
      [
        publications.map((_publication, index) => index),
        publications.map((publication) => publication.exchange),
        publications.map((publication) => storableText(publication.routingKey)),
        publications.map((publication) => publication.body),
        this.names.wakeChannel,
      ],
    );
    const routed = new Set(result.rows.map((row) => row.ordinal));
    return publications.map((_publication, index) => routed.has(index));
  }

  /** Leases up to `limit` due messages of `queue`, oldest due first, skipping rows other consumers are claiming. */
  async claim(queue: string, limit: number, leaseMs: number, owner: number | undefined): Promise<ClaimedMessage[]> {
    const messages = this.names.table('messages');
    const result = await this.pool.query<ClaimedMessage>(
      `WITH next AS (
         SELECT id FROM ${messages} WHERE queue = $1 AND available_at <= now()
         ORDER BY available_at, id LIMIT $2 FOR UPDATE SKIP LOCKED
       )
       UPDATE ${messages} m
       SET available_at = now() + $3 * interval '1 millisecond', deliveries = m.deliveries + 1, lease_owner = $4
       FROM next WHERE m.id = next.id
       RETURNING m.id, m.body, m.attempt, m.deliveries`,
      [queue, limit, leaseMs, owner ?? null],
    );
    return result.rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  }

  /**
   * Acts on handler outcomes: done deletes, retry reschedules (a fresh delivery count, so it is not a redelivery),
   * dead moves the row to dead_letters. A row whose delivery count moved on was taken over after its lease ran out;
   * it is left to its new consumer. Returns, per settlement, whether it applied.
   */
  async settle(settlements: Settlement[]): Promise<boolean[]> {
    const messages = this.names.table('messages');
    const outcomes = settlements.map(({ outcome }) => outcome);
    const result = await this.pool.query<{ id: string }>(
      `WITH outcome AS (
         SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::int[], $5::int[], $6::text[])
           AS o(id, deliveries, kind, attempt, delay_ms, error)
       ), done AS (
         DELETE FROM ${messages} m USING outcome o
         WHERE m.id = o.id AND m.deliveries = o.deliveries AND o.kind = 'done' RETURNING m.id
       ), retried AS (
         UPDATE ${messages} m
         SET attempt = o.attempt, available_at = now() + o.delay_ms * interval '1 millisecond', deliveries = 0, lease_owner = NULL
         FROM outcome o WHERE m.id = o.id AND m.deliveries = o.deliveries AND o.kind = 'retry' RETURNING m.id
       ), dead AS (
         DELETE FROM ${messages} m USING outcome o
         WHERE m.id = o.id AND m.deliveries = o.deliveries AND o.kind = 'dead' RETURNING m.id, m.queue, m.body, o.attempt, o.error
       ), parked AS (
         INSERT INTO ${this.names.table('dead_letters')} (queue, body, attempts, last_error)
         SELECT queue, body, attempt, error FROM dead ORDER BY id
       )
       SELECT id FROM done UNION ALL SELECT id FROM retried UNION ALL SELECT id FROM dead`,
      [
        settlements.map(({ message }) => message.id),
        settlements.map(({ message }) => message.deliveries),
        outcomes.map((outcome) => outcome.kind),
        outcomes.map((outcome) => (outcome.kind === 'retry' ? outcome.nextAttempt : outcome.kind === 'dead' ? outcome.attempts : 0)),
        outcomes.map((outcome) => (outcome.kind === 'retry' ? outcome.delayMs : 0)),
        outcomes.map((outcome) => (outcome.kind === 'done' ? null : storableText(outcome.error))),
      ],
    );
    const applied = new Set(result.rows.map((row) => row.id));
    return settlements.map(({ message }) => applied.has(message.id));
  }

  /**
   * Extends the leases of messages whose handlers still run (and names their owner again after a reconnect). Rows
   * locked by a settle under way are skipped: they are being finished, and waiting on them could deadlock.
   */
  async renew(leased: ClaimedMessage[], leaseMs: number, owner: number | undefined): Promise<void> {
    if (leased.length === 0) return;
    const messages = this.names.table('messages');
    await this.pool.query(
      `WITH mine AS (
         SELECT m.id FROM ${messages} m JOIN unnest($1::bigint[], $2::int[]) AS l(id, deliveries) ON m.id = l.id AND m.deliveries = l.deliveries
         FOR UPDATE OF m SKIP LOCKED
       )
       UPDATE ${messages} m SET available_at = now() + $3 * interval '1 millisecond', lease_owner = $4 FROM mine WHERE m.id = mine.id`,
      [leased.map((message) => message.id), leased.map((message) => message.deliveries), leaseMs, owner ?? null],
    );
  }

  /**
   * Makes the leases of buses that are gone claimable at once: each bus holds a session advisory lock on its
   * listener connection, which Postgres drops with the connection, e.g. when the process is killed.
   */
  async releaseOrphanedLeases(): Promise<number> {
    const messages = this.names.table('messages');
    const result = await this.pool.query(
      `WITH orphaned AS (
         SELECT m.id FROM ${messages} m
         WHERE m.lease_owner IS NOT NULL AND m.available_at > now() AND NOT EXISTS (
           SELECT 1 FROM pg_locks l
           WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objsubid = 2 AND l.objid = m.lease_owner::oid
             AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))
         FOR UPDATE OF m SKIP LOCKED
       )
       UPDATE ${messages} m SET available_at = now(), lease_owner = NULL FROM orphaned WHERE m.id = orphaned.id`,
      [ownerLockClass],
    );
    return result.rowCount ?? 0;
  }

  async readDeadLetters(queue: string, boundQueue: string, limit: number): Promise<DeadLetter[]> {
    const result = await this.pool.query<{ body: string; attempts: number; last_error: string }>(
      `SELECT body, attempts, last_error FROM ${this.names.table('dead_letters')} WHERE queue = $1 ORDER BY id LIMIT $2`,
      [boundQueue, limit],
    );
    return result.rows.map((row) => deadLetterFrom(row.body, queue, row.attempts, row.last_error));
  }
}
