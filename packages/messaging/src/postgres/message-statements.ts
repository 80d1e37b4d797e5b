import type { BusNames } from './bus-names';
import { preparedStatement } from './prepared-statement';

/** The SQL of the durable queues, each a single statement: one round trip, one transaction. */
export function messageStatements(names: BusNames) {
  const messages = names.table('messages');
  const bindings = names.table('bindings');
  const statement = (name: string, text: string) => preparedStatement(names, name, text);
  return {
    bind: statement(
      'bind',
      `INSERT INTO ${bindings} (exchange, routing_key, queue)
       SELECT $1, routing_key, $3 FROM unnest($2::text[]) AS k(routing_key)
       ON CONFLICT DO NOTHING`,
    ),

    /** One row per bound queue per publication, and a wake-up per queue; returns the ordinals that found a queue. */
    publish: statement(
      'publish',
      `WITH input AS (
         SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) AS i(ordinal, exchange, routing_key, body)
       ), routes AS (
         SELECT i.ordinal, b.queue, i.body FROM input i JOIN ${bindings} b ON b.exchange = i.exchange AND b.routing_key = i.routing_key
       ), inserted AS (
         INSERT INTO ${messages} (queue, body) SELECT queue, body FROM routes ORDER BY ordinal RETURNING queue
       )
       SELECT ordinal FROM routes
       UNION ALL
       SELECT NULL FROM (SELECT DISTINCT queue FROM inserted) q, pg_notify($5, q.queue)`,
    ),

    claim: statement(
      'claim',
      `WITH next AS (
         SELECT id FROM ${messages} WHERE queue = $1 AND available_at <= now()
         ORDER BY available_at, id LIMIT $2 FOR UPDATE SKIP LOCKED
       )
       UPDATE ${messages} m
       SET available_at = now() + $3 * interval '1 millisecond', deliveries = m.deliveries + 1, lease_owner = $4
       FROM next WHERE m.id = next.id
       RETURNING m.id, m.body, m.attempt, m.deliveries`,
    ),

    /** Every kind of outcome in one statement; a row whose delivery count moved on is not touched. Returns the ids settled. */
    settle: statement(
      'settle',
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
         INSERT INTO ${names.table('dead_letters')} (queue, body, attempts, last_error)
         SELECT queue, body, attempt, error FROM dead ORDER BY id
       )
       SELECT id FROM done UNION ALL SELECT id FROM retried UNION ALL SELECT id FROM dead`,
    ),

    /** Rows locked by a settle under way are skipped: they are being finished, and waiting on them could deadlock. */
    renew: statement(
      'renew',
      `WITH mine AS (
         SELECT m.id FROM ${messages} m
         JOIN unnest($1::bigint[], $2::int[]) AS l(id, deliveries) ON m.id = l.id AND m.deliveries = l.deliveries
         FOR UPDATE OF m SKIP LOCKED
       )
       UPDATE ${messages} m SET available_at = now() + $3 * interval '1 millisecond', lease_owner = $4 FROM mine WHERE m.id = mine.id`,
    ),

    /** Leases whose owner holds no advisory lock (two-key form: classid, objid, objsubid 2) in this database. */
    releaseOrphaned: statement(
      'release_orphaned',
      `WITH orphaned AS (
         SELECT m.id FROM ${messages} m
         WHERE m.lease_owner IS NOT NULL AND m.available_at > now() AND NOT EXISTS (
           SELECT 1 FROM pg_locks l
           WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objsubid = 2 AND l.objid = m.lease_owner::oid
             AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))
         FOR UPDATE OF m SKIP LOCKED
       )
       UPDATE ${messages} m SET available_at = now(), lease_owner = NULL FROM orphaned WHERE m.id = orphaned.id`,
    ),

    readDeadLetters: statement(
      'read_dead_letters',
      `SELECT body, attempts, last_error FROM ${names.table('dead_letters')} WHERE queue = $1 ORDER BY id LIMIT $2`,
    ),
  };
}
