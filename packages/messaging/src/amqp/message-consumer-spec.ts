import type { ConsumeMessage } from 'amqplib';
import { handleMessage } from '../core/handle-message';
import type { HandlingRuntime, MessageProcessor } from '../core/handle-message';
import { retryTier } from '../core/retry-policy';
import type { AckBatcher } from './ack-batcher';
import type { ConsumerSpec } from './amqp-consumer';
import { attemptHeader, errorHeader, readAttempt } from './headers';
import type { Publisher } from './publisher';
import { assertWorkQueue, names } from './topology';

export interface MessageConsumerDeps {
  namespace: string;
  processor: MessageProcessor;
  prefetch: number;
  deliveryLimit: number;
  publisher: Publisher;
  runtime: HandlingRuntime;
}

/**
 * Commands and events: the handler's success acks; a failure is republished (confirmed) to the delay queue of its
 * tier, or parked in the dead-letter queue with its error, and only then acked, so nothing is lost in between.
 */
export function messageConsumerSpec(deps: MessageConsumerDeps): ConsumerSpec {
  const { namespace, processor, publisher, runtime } = deps;
  const { queue } = processor;
  const { logger } = runtime;

  async function park(
    target: string,
    message: ConsumeMessage,
    attempt: number,
    error: string,
    expiration?: number,
  ): Promise<void> {
    await publisher.publish(
      { exchange: '', routingKey: target, mandatory: false, type: String(message.properties.type ?? 'message') },
      message.content,
      {
        messageId: message.properties.messageId as string | undefined,
        type: message.properties.type as string | undefined,
        headers: { [attemptHeader]: attempt, [errorHeader]: error },
        ...(expiration === undefined ? {} : { expiration: String(expiration) }),
      },
    );
  }

  async function process(message: ConsumeMessage, _channel: unknown, acks: AckBatcher): Promise<void> {
    try {
      const outcome = await handleMessage(
        {
          body: message.content.toString('utf8'),
          attempt: readAttempt(message.properties),
          redelivered: message.fields.redelivered,
        },
        processor,
        runtime,
      );
      if (outcome.kind === 'retry') {
        const tier = retryTier(processor.retry, outcome.nextAttempt - 1);
        await park(
          names.retryQueue(namespace, queue, tier),
          message,
          outcome.nextAttempt,
          outcome.error,
          outcome.delayMs,
        );
      } else if (outcome.kind === 'dead') {
        await park(names.deadQueue(namespace, queue), message, outcome.attempts, outcome.error);
      }
      acks.ack(message);
    } catch (error) {
      logger.warn({ queue, err: error }, 'could not settle a message; returning it to its queue');
      acks.requeue(message);
    }
  }

  return {
    name: queue,
    queue: names.workQueue(namespace, queue),
    prefetch: deps.prefetch,
    assertTopology: (channel) =>
      assertWorkQueue(channel, {
        namespace,
        queue,
        catalog: processor.catalog,
        retry: processor.retry,
        deliveryLimit: deps.deliveryLimit,
      }),
    process,
  };
}
