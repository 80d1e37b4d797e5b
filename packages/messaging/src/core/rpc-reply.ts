import { AppError, errorCodes, QuotaExcess } from '@overcast/contracts';
import type { RpcDefinition } from '@overcast/contracts';
import { z } from 'zod';
import type { BusLogger } from '../bus-options';
import { describeIssues } from './zod-details';

const SerializedAppError = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  details: z.array(z.object({ path: z.string().optional(), message: z.string(), quota: QuotaExcess.optional() })),
});

/** The wire shape of an RPC reply: the handler's result, or the AppError it threw. */
const RpcReply = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: SerializedAppError }),
]);
export type RpcReply = z.infer<typeof RpcReply>;

export function encodeReply(reply: RpcReply): string {
  return JSON.stringify(reply);
}

/**
 * An AppError crosses the bus as it is (its code and message are meant for clients); anything else is a
 * bug whose internals stay in this service's log, and the caller learns only that it was internal.
 */
export function replyFromError(error: unknown, logger: BusLogger, fields: object): RpcReply {
  if (error instanceof AppError) {
    logger.debug({ ...fields, code: error.code }, 'rpc handler answered an error');
    return { ok: false, error: error.toJSON() };
  }
  logger.error({ ...fields, err: error }, 'rpc handler failed');
  return { ok: false, error: new AppError('internal', 'internal error').toJSON() };
}

/** A reply body as JSON; one that is not JSON comes back undefined, which `resultOfReply` calls unreadable. */
export function parseReplyBody(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** The caller's side, given the reply parsed from JSON: the response, or the handler's AppError rethrown. */
export function resultOfReply(definition: RpcDefinition, json: unknown, logger: BusLogger): unknown {
  const parsed = RpcReply.safeParse(json);
  if (!parsed.success) {
    logger.error(
      { type: definition.type, reason: describeIssues(parsed.error.issues, 'reply') },
      'unreadable rpc reply',
    );
    throw new AppError('internal', `unreadable reply to ${definition.type}`);
  }
  const reply = parsed.data;
  if (!reply.ok) throw AppError.fromJSON(reply.error);
  const response = definition.response.safeParse(reply.result);
  if (!response.success) {
    logger.error(
      { type: definition.type, reason: describeIssues(response.error.issues, 'response') },
      'rpc reply does not match its schema',
    );
    throw new AppError('internal', `the reply to ${definition.type} does not match its schema`);
  }
  return response.data;
}
