import { Buffer } from 'node:buffer';
import type { Pool } from 'pg';
import type { BusNames } from './bus-names';

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

/** The SQL of RPC: requests queue in an UNLOGGED table, replies come back as NOTIFY on the caller's channel. */
export class RequestStore {
  constructor(
    private readonly pool: Pool,
    private readonly names: BusNames,
  ) {}

  /** Queues each request on its service's queue and wakes the servers; which ones found a served queue. */
  async send(requests: OutgoingRequest[]): Promise<boolean[]> {
    const result = await this.pool.query<{ call_id: string | null }>(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) AS i(call_id, service, deadline, body)
       ), routed AS (
         INSERT INTO ${this.names.table('requests')} (queue, call_id, reply_channel, deadline, body)
         SELECT b.queue, i.call_id, $5, i.deadline, i.body FROM input i
         JOIN ${this.names.table('bindings')} b ON b.exchange = $6 AND b.routing_key = i.service
         RETURNING queue, call_id
       )
       SELECT call_id FROM routed
       UNION ALL
       SELECT NULL FROM (SELECT DISTINCT queue FROM routed) q, pg_notify($7, q.queue)`,
      [
        requests.map((request) => request.callId),
        requests.map((request) => request.service),
        requests.map((request) => request.deadline),
        requests.map((request) => request.body),
        this.names.replyChannel,
        this.names.exchange('rpc'),
        this.names.wakeChannel,
      ],
    );
    const routed = new Set(result.rows.map((row) => row.call_id));
    return requests.map((request) => routed.has(request.callId));
  }

  /** Takes (deletes) up to `limit` requests: an RPC is answered at most once, and an unanswered one times out. */
  async claim(queue: string, limit: number): Promise<ClaimedRequest[]> {
    const requests = this.names.table('requests');
    const result = await this.pool.query<{ id: string; call_id: string; reply_channel: string; deadline: string; body: string }>(
      `DELETE FROM ${requests} WHERE id IN (SELECT id FROM ${requests} WHERE queue = $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id, call_id, reply_channel, deadline, body`,
      [queue, limit],
    );
    return result.rows
      .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
      .map((row) => ({ callId: row.call_id, replyChannel: row.reply_channel, deadline: Number(row.deadline), body: row.body }));
  }

  async reply(replies: OutgoingReply[]): Promise<void> {
    const stored = replies.filter((reply) => Buffer.byteLength(reply.callId) + Buffer.byteLength(reply.body) + 1 > maxNotifyPayloadBytes);
    const storedIds = new Set(stored.map((reply) => reply.callId));
    await this.pool.query(
      `WITH stored AS (
         INSERT INTO ${this.names.table('replies')} (call_id, body, deadline)
         SELECT * FROM unnest($3::text[], $4::text[], $5::bigint[]) ON CONFLICT (call_id) DO NOTHING
       )
       SELECT pg_notify(n.channel, n.payload) FROM unnest($1::text[], $2::text[]) AS n(channel, payload)`,
      [
        replies.map((reply) => reply.channel),
        replies.map((reply) => (storedIds.has(reply.callId) ? `${reply.callId}\n` : `${reply.callId}\n${reply.body}`)),
        stored.map((reply) => reply.callId),
        stored.map((reply) => reply.body),
        stored.map((reply) => reply.deadline),
      ],
    );
  }

  /** A reply too large to notify; undefined when it is gone (already taken, or swept after its deadline). */
  async takeStoredReply(callId: string): Promise<string | undefined> {
    const result = await this.pool.query<{ body: string }>(`DELETE FROM ${this.names.table('replies')} WHERE call_id = $1 RETURNING body`, [callId]);
    return result.rows[0]?.body;
  }

  /** Requests of a service that stayed down, and replies whose caller went away, would otherwise stay forever. */
  async deleteExpired(now: number): Promise<void> {
    const before = now - expiredGraceMs;
    await this.pool.query(`DELETE FROM ${this.names.table('requests')} WHERE deadline < $1`, [before]);
    await this.pool.query(`DELETE FROM ${this.names.table('replies')} WHERE deadline < $1`, [before]);
  }
}
