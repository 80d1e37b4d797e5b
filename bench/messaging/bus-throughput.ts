import { createAmqpBus } from '@overcast/messaging';
import { benchCommands, messagesPerSecond, RecordUsage, until, usagePayload } from './measure';

export interface BusThroughputRun {
  url: string;
  namespace: string;
  queue: string;
  count: number;
  prefetch: number;
}

/** The same work through the Bus: N concurrent `publish` calls, one consumer bus acking after its handler. */
export async function measureBusThroughput(run: BusThroughputRun): Promise<number> {
  // No retries: the handler never fails, and each delay queue would be one more quorum queue on the broker.
  const options = { url: run.url, namespace: run.namespace, retry: { maxAttempts: 1 } };
  const publisherBus = createAmqpBus(options);
  const consumerBus = createAmqpBus(options);
  await Promise.all([publisherBus.start(), consumerBus.start()]);
  try {
    let handled = 0;
    const consumer = await consumerBus.consume(
      run.queue,
      benchCommands,
      { 'bench.record_usage': async () => void (handled += 1) },
      { prefetch: run.prefetch },
    );
    const payloads = Array.from({ length: run.count }, (_, sequence) => usagePayload(sequence));

    const started = performance.now();
    await Promise.all(payloads.map((payload) => publisherBus.publish(RecordUsage, payload)));
    await until(() => handled >= run.count, 60_000, 'bus messages');
    const elapsed = performance.now() - started;
    await consumer.stop();
    return messagesPerSecond(run.count, elapsed);
  } finally {
    await Promise.all([publisherBus.stop(), consumerBus.stop()]);
  }
}
