import type { Envelope, RpcDefinition } from '@overcast/contracts';
import type { BusLogger } from '../bus-options';
import { PendingCalls } from '../core/pending-calls';
import { parseReplyBody } from '../core/rpc-reply';
import { BusUnavailableError, UnroutableMessageError } from '../errors';
import { PerTurnStatement } from './per-turn-statement';
import type { OutgoingRequest, RequestStore } from './request-store';

/** Requests per INSERT at most; more in one turn go in several. */
const maxRequestsPerStatement = 500;

/**
 * The calling side: the calls of one turn are queued in one statement (each its own row, so each counts against
 * the server's prefetch), and replies arrive as notifications on this bus's channel.
 */
export class RpcCaller {
  private readonly pending: PendingCalls;
  private readonly requests: PerTurnStatement<OutgoingRequest, boolean>;

  constructor(
    private readonly store: RequestStore,
    private readonly canReceiveReplies: () => boolean,
    private readonly logger: BusLogger,
  ) {
    this.pending = new PendingCalls(logger);
    this.requests = new PerTurnStatement(maxRequestsPerStatement, (requests) => store.send(requests));
  }

  call(definition: RpcDefinition, envelope: Envelope, timeoutMs: number): Promise<unknown> {
    // A reply is a notification to this bus's listener: without it none could arrive.
    if (!this.canReceiveReplies())
      return Promise.reject(new BusUnavailableError(`not connected to the database; ${definition.type} was not sent`));
    const deadline = Date.now() + timeoutMs;
    const reply = this.pending.wait(envelope.id, definition, deadline, timeoutMs);
    this.requests
      .run({ callId: envelope.id, service: definition.service, deadline, body: JSON.stringify(envelope) })
      .then(
        (routed) => {
          if (!routed) this.pending.fail(envelope.id, new UnroutableMessageError(definition.type));
        },
        (error: unknown) =>
          this.pending.fail(envelope.id, new BusUnavailableError(`could not send ${definition.type}`, error)),
      );
    return reply;
  }

  /** A notification on the reply channel: `<call id>\n<reply>`, or `<call id>\n` when the reply waits in its table. */
  onReply(payload: string): void {
    const newline = payload.indexOf('\n');
    if (newline < 0) return;
    const callId = payload.slice(0, newline);
    const body = payload.slice(newline + 1);
    if (body !== '') return this.pending.settle(callId, parseReplyBody(body));
    if (!this.pending.has(callId)) return;
    this.store.takeStoredReply(callId).then(
      (stored) => {
        if (stored !== undefined) this.pending.settle(callId, parseReplyBody(stored));
      },
      (error: unknown) => {
        this.logger.warn({ callId, err: error }, 'could not fetch a stored rpc reply');
        this.pending.fail(callId, new BusUnavailableError('could not fetch the reply', error));
      },
    );
  }

  failAll(error: unknown): void {
    this.pending.failAll(error);
  }
}
