export interface QueuedMessage {
  /** The serialized envelope, as on the wire: consumers never share objects with the publisher. */
  body: string;
  attempt: number;
  redelivered: boolean;
  /** RPC requests: epoch ms after which nobody waits, so the request is dropped unprocessed. */
  deadline?: number;
  /** RPC requests: where the reply goes. */
  reply?: (body: string) => void;
}

interface Subscription {
  prefetch: number;
  running: number;
  process(message: QueuedMessage): Promise<void>;
}

/** A queue with competing consumers, each bounded by its prefetch, served round-robin like a broker does. */
export class MemoryQueue {
  private readonly messages: QueuedMessage[] = [];
  private readonly subscriptions: Subscription[] = [];
  private cursor = 0;
  private dispatchScheduled = false;

  constructor(readonly name: string) {}

  get depth(): number {
    return this.messages.length;
  }

  enqueue(message: QueuedMessage): void {
    this.messages.push(message);
    this.scheduleDispatch();
  }

  /** Returns the cancel function: no new messages afterwards; those already handed out run to the end. */
  subscribe(prefetch: number, process: (message: QueuedMessage) => Promise<void>): () => void {
    const subscription: Subscription = { prefetch, running: 0, process };
    this.subscriptions.push(subscription);
    this.scheduleDispatch();
    return () => {
      const index = this.subscriptions.indexOf(subscription);
      if (index >= 0) this.subscriptions.splice(index, 1);
    };
  }

  // Dispatch on a later turn, as a broker delivers asynchronously: publish never runs handlers inline.
  private scheduleDispatch(): void {
    if (this.dispatchScheduled) return;
    this.dispatchScheduled = true;
    setImmediate(() => {
      this.dispatchScheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.messages.length > 0) {
      const subscription = this.nextWithCapacity();
      if (!subscription) return;
      const message = this.messages.shift() as QueuedMessage;
      if (message.deadline !== undefined && Date.now() >= message.deadline) continue;
      subscription.running += 1;
      void subscription
        .process(message)
        .catch(() => undefined)
        .finally(() => {
          subscription.running -= 1;
          this.scheduleDispatch();
        });
    }
  }

  private nextWithCapacity(): Subscription | undefined {
    const count = this.subscriptions.length;
    for (let offset = 0; offset < count; offset += 1) {
      const index = (this.cursor + offset) % count;
      const subscription = this.subscriptions[index];
      if (subscription && subscription.running < subscription.prefetch) {
        this.cursor = (index + 1) % count;
        return subscription;
      }
    }
    return undefined;
  }
}
