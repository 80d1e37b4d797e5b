import type { Channel, ConsumeMessage } from 'amqplib';
import { answerRequest } from '../core/answer-request';
import type { RequestProcessor } from '../core/answer-request';
import type { HandlingRuntime } from '../core/handle-message';
import { encodeReply } from '../core/rpc-reply';
import type { AckBatcher } from './ack-batcher';
import type { ConsumerSpec } from './amqp-consumer';
import { readDeadline } from './headers';
import { assertRpcQueue, names } from './topology';

export interface RequestServerDeps {
  namespace: string;
  processor: RequestProcessor;
  prefetch: number;
  deliveryLimit: number;
  runtime: HandlingRuntime;
}

/** Answers a service's RPCs: the reply goes to the caller's direct reply-to address, then the request is acked. */
export function requestServerSpec(deps: RequestServerDeps): ConsumerSpec {
  const { namespace, processor, runtime } = deps;
  const { logger } = runtime;

  async function process(message: ConsumeMessage, channel: Channel, acks: AckBatcher): Promise<void> {
    try {
      const reply = await answerRequest(
        { body: message.content.toString('utf8'), deadline: readDeadline(message.properties), redelivered: message.fields.redelivered },
        processor,
        runtime,
      );
      const replyTo = message.properties.replyTo as string | undefined;
      if (reply && replyTo) {
        channel.sendToQueue(replyTo, Buffer.from(encodeReply(reply)), {
          correlationId: message.properties.correlationId as string | undefined,
          contentType: 'application/json',
        });
      }
    } catch (error) {
      // The caller times out; its request is not retried (an RPC is answered once or not at all).
      logger.warn({ service: processor.service, error: String(error) }, 'could not send an rpc reply');
    }
    acks.ack(message);
  }

  return {
    name: `rpc ${processor.service}`,
    queue: names.rpcQueue(namespace, processor.service),
    prefetch: deps.prefetch,
    assertTopology: (channel) => assertRpcQueue(channel, namespace, processor.service, deps.deliveryLimit),
    process,
  };
}
