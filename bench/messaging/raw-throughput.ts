import { connect } from 'amqplib';
import { messagesPerSecond, until } from './measure';

export interface ThroughputRun {
  url: string;
  queue: string;
  /** One serialized message, sent `count` times: the same bytes the Bus sends. */
  body: Buffer;
  count: number;
  prefetch: number;
  /** Unconfirmed publishes in flight, as the Bus's publish window. */
  window: number;
}

/**
 * The ceiling: plain amqplib doing what the Bus promises (persistent, confirmed, consumed with manual acks)
 * and nothing else: no envelope, no validation, no retry bookkeeping. Same queue type as the Bus (quorum).
 */
export async function measureRawThroughput(run: ThroughputRun): Promise<number> {
  // amqplib's defaults (the Bus adds TCP_NODELAY for latency; measured here, it makes no throughput difference).
  const publisherConnection = await connect(run.url);
  const consumerConnection = await connect(run.url);
  for (const connection of [publisherConnection, consumerConnection]) connection.on('error', () => undefined);
  try {
    const publisher = await publisherConnection.createConfirmChannel();
    const consumer = await consumerConnection.createChannel();
    for (const channel of [publisher, consumer]) channel.on('error', () => undefined);
    await publisher.assertQueue(run.queue, {
      durable: true,
      arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': 20 },
    });
    await consumer.prefetch(run.prefetch);
    let acked = 0;
    await consumer.consume(run.queue, (message) => {
      if (!message) return;
      consumer.ack(message);
      acked += 1;
    });

    const started = performance.now();
    let confirmed = 0;
    let inFlight = 0;
    let failed = 0;
    const slotFreed: (() => void)[] = [];
    for (let index = 0; index < run.count; index += 1) {
      if (inFlight >= run.window) await new Promise<void>((resolve) => slotFreed.push(resolve));
      inFlight += 1;
      publisher.publish('', run.queue, run.body, { persistent: true, contentType: 'application/json' }, (error) => {
        if (error) failed += 1;
        confirmed += 1;
        inFlight -= 1;
        slotFreed.shift()?.();
      });
    }
    await until(() => confirmed === run.count && acked >= run.count, 60_000, 'raw messages');
    const elapsed = performance.now() - started;
    if (failed > 0) throw new Error(`${failed} raw publishes were not confirmed`);
    return messagesPerSecond(run.count, elapsed);
  } finally {
    await consumerConnection.close().catch(() => undefined);
    await publisherConnection.close().catch(() => undefined);
  }
}
