import { Buffer } from 'node:buffer';
import type { Pool } from 'pg';
import type { BusNames } from './bus-names';
import { preparedStatement } from './prepared-statement';

export interface OutgoingRequest {
  callId: string;
  service: string;
  /** Epoch ms by the caller's clock, as the amqp transport carries it in a header. */
  deadline: number;
  body: string;
}

export interface ClaimedRequest {
  callId: string;
  replyChannel: string;
  deadline: number;
  body: string;
}

export interface OutgoingReply {
  channel: string;
  callId: string;
  deadline: number;
  body: string;
}

/** NOTIFY payloads must stay under 8000 bytes; a larger reply waits in the replies table and the notice only names it. */
const maxNotifyPayloadBytes = 7900;
/** Requests and replies outlive their deadline by this much before the sweep deletes them (callers' clocks may differ). */
const expiredGraceMs = 60_000;

function requestStatements(names: BusNames) {
  const requests = names.table('requests');
  const replies = names.table('replies');
  const statement = (name: string, text: string) => preparedStatement(names, name, text);
  return {
    /** Returns the call ids that found a served queue, then one row per queue woken. */
    send: statement(
      'send_requests',
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) AS i(call_id, service, deadline, body)
       ), routed AS (
         INSERT INTO ${requests} (queue, call_id, reply_channel, deadline, body)
         SELECT b.queue, i.call_id, $5, i.deadline, i.body FROM input i
         JOIN ${names.table('bindings')} b ON b.exchange = $6 AND b.routing_key = i.service
         RETURNING queue, call_id
       )
       SELECT call_id FROM routed
       UNION ALL
       SELECT NULL FROM (SELECT DISTINCT queue FROM routed) q, pg_notify($7, q.queue)`,
    ),
    claim: statement(
      'claim_requests',
      `DELETE FROM ${requests} WHERE id IN (SELECT id FROM ${requests} WHERE queue = $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id, call_id, reply_channel, deadline, body`,
    ),
    reply: statement(
      'reply',
      `WITH stored AS (
         INSERT INTO ${replies} (call_id, body, deadline)
         SELECT * FROM unnest($3::text[], $4::text[], $5::bigint[]) ON CONFLICT (call_id) DO NOTHING
       )
       SELECT pg_notify(n.channel, n.payload) FROM unnest($1::text[], $2::text[]) AS n(channel, payload)`,
    ),
    takeStoredReply: statement('take_stored_reply', `DELETE FROM ${replies} WHERE call_id = $1 RETURNING body`),
    deleteExpired: statement(
      'delete_expired_rpc',
      `WITH expired_requests AS (DELETE FROM ${requests} WHERE deadline < $1)
       DELETE FROM ${replies} WHERE deadline < $1`,
    ),
  };
}

/**
 * RPC: requests queue in an UNLOGGED table (a request is worthless after its deadline, so it needs no WAL),
 * replies come back as NOTIFY on the caller's channel.
 */
export class RequestStore {
  private readonly sql: ReturnType<typeof requestStatements>;

  constructor(
    private readonly pool: Pool,
    private readonly names: BusNames,
  ) {
    this.sql = requestStatements(names);
  }

  /** Queues each request on its service's queue and wakes the servers; which ones found a served queue. */
  async send(requests: OutgoingRequest[]): Promise<boolean[]> {
    const result = await this.pool.query<{ call_id: string | null }>({
      ...this.sql.send,
      values: [
        requests.map((request) => request.callId),
        requests.map((request) => request.service),
        requests.map((request) => request.deadline),
        requests.map((request) => request.body),
        this.names.replyChannel,
        this.names.exchange('rpc'),
        this.names.wakeChannel,
      ],
    });
    const routed = new Set(result.rows.map((row) => row.call_id));
    return requests.map((request) => routed.has(request.callId));
  }

  /** Takes (deletes) up to `limit` requests: an RPC is answered at most once, and an unanswered one times out. */
  async claim(queue: string, limit: number): Promise<ClaimedRequest[]> {
    const result = await this.pool.query<{
      id: string;
      call_id: string;
      reply_channel: string;
      deadline: string;
      body: string;
    }>({
      ...this.sql.claim,
      values: [queue, limit],
    });
    return result.rows
      .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
      .map((row) => ({
        callId: row.call_id,
        replyChannel: row.reply_channel,
        deadline: Number(row.deadline),
        body: row.body,
      }));
  }

  async reply(replies: OutgoingReply[]): Promise<void> {
    const stored = replies.filter(
      (reply) => Buffer.byteLength(reply.callId) + Buffer.byteLength(reply.body) + 1 > maxNotifyPayloadBytes,
    );
    const storedIds = new Set(stored.map((reply) => reply.callId));
    await this.pool.query({
      ...this.sql.reply,
      values: [
        replies.map((reply) => reply.channel),
        replies.map((reply) => (storedIds.has(reply.callId) ? `${reply.callId}\n` : `${reply.callId}\n${reply.body}`)),
        stored.map((reply) => reply.callId),
        stored.map((reply) => reply.body),
        stored.map((reply) => reply.deadline),
      ],
    });
  }

  /** A reply too large to notify; undefined when it is gone (already taken, or swept after its deadline). */
  async takeStoredReply(callId: string): Promise<string | undefined> {
    const result = await this.pool.query<{ body: string }>({ ...this.sql.takeStoredReply, values: [callId] });
    return result.rows[0]?.body;
  }

  /** Requests of a service that stayed down, and replies whose caller went away, would otherwise stay forever. */
  async deleteExpired(now: number): Promise<void> {
    await this.pool.query({ ...this.sql.deleteExpired, values: [now - expiredGraceMs] });
  }
}
