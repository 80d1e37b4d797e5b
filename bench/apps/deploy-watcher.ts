import { appDeployedEvent, defineCatalog } from '@overcast/contracts';
import { createAmqpBus, type Consumer } from '@overcast/messaging';

export const deployWatchQueue = 'bench-deploys';

export interface DeployWatcher {
  /** When (performance.now()) each app's deploy was announced done. */
  doneAt: ReadonlyMap<string, number>;
  /** Apps whose deploy ended otherwise (failed, timed out), with the outcome. */
  notDone: ReadonlyMap<string, string>;
  /** Resolves once `count` deploys were announced done in all; rejects after `timeoutMs` or on a failed deploy. */
  waitForDoneCount(count: number, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Subscribes to `app.deployed` on the bus, as any other service would, and notes when each app's deploy ended:
 * the app manager publishes it once every service of the release is active (or the deploy failed).
 */
export async function startDeployWatcher(url: string, namespace: string): Promise<DeployWatcher> {
  const bus = createAmqpBus({ url, namespace });
  await bus.start();
  const doneAt = new Map<string, number>();
  const notDone = new Map<string, string>();
  let consumer: Consumer;
  try {
    consumer = await bus.consume(
      deployWatchQueue,
      defineCatalog(appDeployedEvent),
      {
        'app.deployed': async (event) => {
          if (event.outcome !== 'done') notDone.set(event.app, event.outcome);
          else if (!doneAt.has(event.app)) doneAt.set(event.app, performance.now());
        },
      },
      { prefetch: 500 },
    );
  } catch (error) {
    await bus.stop();
    throw error;
  }
  return {
    doneAt,
    notDone,
    async waitForDoneCount(count, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (doneAt.size < count) {
        const [failed] = notDone;
        if (failed) throw new Error(`the deploy of ${failed[0]} ended ${failed[1]}`);
        if (Date.now() > deadline)
          throw new Error(`only ${doneAt.size} of ${count} deploys were done within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      await consumer.stop();
      await bus.stop();
    },
  };
}
