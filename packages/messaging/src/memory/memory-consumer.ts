import type { Consumer } from '../bus';
import { InFlight } from '../core/in-flight';
import type { MemoryQueue, QueuedMessage } from './memory-queue';

/** One competing consumer of a memory queue; stop() cancels it and waits for its in-flight handlers. */
export class MemoryConsumer implements Consumer {
  private readonly inFlight = new InFlight();
  private readonly cancel: () => void;
  private stopping: Promise<void> | undefined;

  constructor(
    queue: MemoryQueue,
    prefetch: number,
    process: (message: QueuedMessage) => Promise<void>,
    private readonly onStopped: (consumer: MemoryConsumer) => void,
  ) {
    this.cancel = queue.subscribe(prefetch, (message) => {
      const work = process(message);
      this.inFlight.track(work);
      return work;
    });
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.cancel();
      await this.inFlight.drain();
      this.onStopped(this);
    })();
    return this.stopping;
  }
}
