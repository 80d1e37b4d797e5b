import { z } from 'zod';
import type { RpcReply } from './rpc-reply';

/**
 * RPC batches. Calls a process makes to one service within one event-loop turn travel as one message, and their
 * replies come back as one: RabbitMQ's work, and each end's socket writes, are per message, and on a busy gateway
 * dozens of calls leave in the same turn. A turn with a single call sends it as a plain request (no batch).
 * A service answers each request as soon as it is done, and the replies ready in one turn for one caller
 * leave together: a slow call never holds back the others of its batch.
 */
export const rpcBatchType = 'overcast.rpc.batch';
/** Calls per batch message at most; more in one turn go in several. */
export const maxRpcBatchSize = 64;

/** One request of a batch: its call id (the envelope's id), its own deadline (epoch ms) and its envelope. */
export interface BatchedRequest {
  id: string;
  deadline: number;
  envelope: unknown;
}

const BatchRequestBody = z
  .array(z.object({ id: z.string().min(1), deadline: z.number(), envelope: z.unknown() }))
  .max(maxRpcBatchSize);
const BatchReplyBody = z.array(z.object({ id: z.string(), reply: z.unknown() }));

export function encodeBatchRequest(requests: BatchedRequest[]): string {
  return JSON.stringify(requests);
}

/** The requests of a batch body, or undefined when it is not one (a malformed batch names no call to answer). */
export function parseBatchRequest(body: string): BatchedRequest[] | undefined {
  try {
    return BatchRequestBody.parse(JSON.parse(body));
  } catch {
    return undefined;
  }
}

/** Several replies, each under its call id, as one body. */
export function encodeBatchReply(replies: { id: string; reply: RpcReply }[]): string {
  return JSON.stringify(replies);
}

/** The caller's side: each call id with its reply (still to be checked by `resultOfReply`); [] when unreadable. */
export function decodeBatchReply(body: string): { id: string; reply: unknown }[] {
  try {
    return BatchReplyBody.parse(JSON.parse(body));
  } catch {
    return [];
  }
}
