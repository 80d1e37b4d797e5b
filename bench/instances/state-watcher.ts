import { defineCatalog, instanceStateChangedEvent } from '@overcast/contracts';
import { createAmqpBus, type Consumer } from '@overcast/messaging';

export const watchQueue = 'bench-watch';

export interface StateWatcher {
  /** When (performance.now()) each instance was announced `running`. */
  runningAt: ReadonlyMap<string, number>;
  /** Resolves once `count` instances were announced running in all; rejects after `timeoutMs`. */
  waitForRunningCount(count: number, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Subscribes to `instance.state_changed` on the bus, as any other service would, and notes when each
 * instance reached `running`: the end of the create pipeline as the rest of the system sees it.
 */
export async function startStateWatcher(url: string, namespace: string): Promise<StateWatcher> {
  const bus = createAmqpBus({ url, namespace });
  await bus.start();
  const runningAt = new Map<string, number>();
  let consumer: Consumer;
  try {
    consumer = await bus.consume(
      watchQueue,
      defineCatalog(instanceStateChangedEvent),
      {
        'instance.state_changed': async (event) => {
          if (event.to === 'running' && !runningAt.has(event.id)) runningAt.set(event.id, performance.now());
        },
      },
      { prefetch: 500 },
    );
  } catch (error) {
    await bus.stop();
    throw error;
  }
  return {
    runningAt,
    async waitForRunningCount(count, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (runningAt.size < count) {
        if (Date.now() > deadline)
          throw new Error(`only ${runningAt.size} of ${count} instances reached running within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      await consumer.stop();
      await bus.stop();
    },
  };
}
