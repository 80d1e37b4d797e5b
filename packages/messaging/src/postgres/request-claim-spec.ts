import { answerRequest } from '../core/answer-request';
import type { RequestProcessor } from '../core/answer-request';
import type { HandlingRuntime } from '../core/handle-message';
import { parseEnvelope } from '../core/parse-envelope';
import { encodeReply } from '../core/rpc-reply';
import type { ClaimSpec } from './claiming-consumer';
import type { PerTurnStatement } from './per-turn-statement';
import type { ClaimedRequest, OutgoingReply, RequestStore } from './request-store';

export interface RequestClaimDeps {
  queue: string;
  processor: RequestProcessor;
  prefetch: number;
  store: RequestStore;
  /** Replies are batched per turn across every server of the bus. */
  replies: PerTurnStatement<OutgoingReply, void>;
  runtime: HandlingRuntime;
}

/** A service's RPCs: each request is one slot until its reply is sent; an expired one is dropped unprocessed. */
export function requestClaimSpec(deps: RequestClaimDeps): ClaimSpec<ClaimedRequest> {
  const { processor, runtime } = deps;
  const { logger } = runtime;

  async function process(request: ClaimedRequest): Promise<void> {
    try {
      const reply = await answerRequest(
        { envelope: parseEnvelope(request.body), deadline: request.deadline, redelivered: false },
        processor,
        runtime,
      );
      if (!reply) return;
      await deps.replies.run({
        channel: request.replyChannel,
        callId: request.callId,
        deadline: request.deadline,
        body: encodeReply(reply),
      });
    } catch (error) {
      // answerRequest turns handler errors into replies; this is the reply not reaching the database. The caller times out.
      logger.error({ service: processor.service, err: error }, 'rpc request not answered');
    }
  }

  return {
    name: `rpc ${processor.service}`,
    queue: deps.queue,
    prefetch: deps.prefetch,
    claim: (limit) => deps.store.claim(deps.queue, limit),
    process,
  };
}
