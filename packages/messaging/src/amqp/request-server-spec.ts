import type { Channel, ConsumeMessage } from 'amqplib';
import pLimit from 'p-limit';
import { answerRequest } from '../core/answer-request';
import type { IncomingRequest, RequestProcessor } from '../core/answer-request';
import type { HandlingRuntime } from '../core/handle-message';
import { envelopeFromJson, parseEnvelope } from '../core/parse-envelope';
import { parseBatchRequest, rpcBatchType } from '../core/rpc-batch';
import type { AckBatcher } from './ack-batcher';
import type { ConsumerSpec } from './amqp-consumer';
import { readDeadline } from './headers';
import { ReplyCoalescer } from './reply-coalescer';
import { assertRpcQueue, names } from './topology';

export interface RequestServerDeps {
  namespace: string;
  processor: RequestProcessor;
  prefetch: number;
  runtime: HandlingRuntime;
}

/** The requests one message carries, each under the call id its reply must name. */
function requestsOf(message: ConsumeMessage): { id: string; request: IncomingRequest }[] | undefined {
  const body = message.content.toString('utf8');
  const { redelivered } = message.fields;
  if (message.properties.type !== rpcBatchType) {
    const request = { envelope: parseEnvelope(body), deadline: readDeadline(message.properties), redelivered };
    return [{ id: String(message.properties.correlationId), request }];
  }
  return parseBatchRequest(body)?.map(({ id, deadline, envelope }) => ({
    id,
    request: { envelope: envelopeFromJson(envelope), deadline, redelivered },
  }));
}

/**
 * Answers a service's RPCs, a plain request or every request of a batch: each reply goes to the caller's
 * direct reply-to address as soon as it is ready (coalesced per turn), and the message is acked once all are.
 * The broker's prefetch counts messages, and a batch is one message: so every request also takes a slot of
 * one limiter of `prefetch`, and no more than `prefetch` handlers run at once, batched or not.
 */
export function requestServerSpec(deps: RequestServerDeps): ConsumerSpec {
  const { namespace, processor, runtime } = deps;
  const { logger } = runtime;
  const replies = new ReplyCoalescer(logger);
  const slot = pLimit(deps.prefetch);

  async function process(message: ConsumeMessage, channel: Channel, acks: AckBatcher): Promise<void> {
    const replyTo = message.properties.replyTo as string | undefined;
    const requests = requestsOf(message);
    if (!requests) logger.warn({ service: processor.service }, 'malformed rpc batch dropped');
    try {
      await Promise.all(
        (requests ?? []).map(({ id, request }) =>
          slot(async () => {
            const reply = await answerRequest(request, processor, runtime);
            if (reply && replyTo) replies.add(channel, replyTo, id, reply);
          }),
        ),
      );
    } catch (error) {
      // answerRequest turns handler errors into replies; anything else is a bug here. Its callers time out.
      logger.error({ service: processor.service, err: error }, 'rpc request not answered');
    }
    acks.ack(message);
  }

  return {
    name: `rpc ${processor.service}`,
    queue: names.rpcQueue(namespace, processor.service),
    prefetch: deps.prefetch,
    assertTopology: (channel) => assertRpcQueue(channel, namespace, processor.service),
    process,
  };
}
