/**
 * Bounds the publishes awaiting their confirm. Concurrent callers are pipelined (never one confirm round trip
 * at a time), yet a burst cannot buffer without limit in memory while the broker is slow or blocked.
 */
export class PublishWindow {
  private inUse = 0;
  // A FIFO of waiters as array + head index: Array#shift is O(n), and a burst can queue tens of thousands.
  private waiting: (() => void)[] = [];
  private head = 0;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async acquire(): Promise<void> {
    if (this.inUse < this.size) {
      this.inUse += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.takeWaiter();
    if (next) {
      next(); // the slot passes straight to the next waiter
      return;
    }
    this.inUse -= 1;
    if (this.inUse === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Resolves once no publish awaits its confirm. */
  async idle(): Promise<void> {
    if (this.inUse === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private takeWaiter(): (() => void) | undefined {
    if (this.head >= this.waiting.length) return undefined;
    const next = this.waiting[this.head];
    this.head += 1;
    if (this.head >= 1024 && this.head * 2 >= this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    return next;
  }
}
