/** Work still running (handlers, publishes awaiting their confirm), so stop() can wait for it instead of cutting it off. */
export class InFlight {
  private readonly running = new Set<Promise<void>>();

  get size(): number {
    return this.running.size;
  }

  /** Callers settle their own errors; a rejection here is only kept from becoming an unhandled one. */
  track(work: Promise<void>): void {
    const tracked: Promise<void> = work.catch(() => undefined).finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
