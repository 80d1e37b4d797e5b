/**
 * Items added within one event-loop turn, grouped by key and handed to `send` at the end of the turn (a
 * `setImmediate`, so the I/O callbacks of one poll phase land in one batch), in chunks of at most `maxChunk`.
 * The one per-turn batcher of the tree: the RPC client's calls per service, a service's replies per caller, the
 * acks of a channel, the Postgres bus's statements and `batchPerTurn`'s lookups are all built on it.
 *
 * Not `dataloader`: it batches loads whose values come back from the batch call; most batches here are sends
 * grouped by destination whose answers arrive elsewhere (an RPC reply by its call id, nothing at all for an ack),
 * which its load → value contract cannot express. Two batchers would be two ways to do one thing.
 */
export class PerTurnGroups<K, T> {
  private groups = new Map<K, T[]>();
  private scheduled = false;

  constructor(
    private readonly maxChunk: number,
    private readonly send: (key: K, items: T[]) => void,
  ) {}

  add(key: K, item: T): void {
    const items = this.groups.get(key);
    if (items) items.push(item);
    else this.groups.set(key, [item]);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Sends what was added so far now, without waiting for the end of the turn (e.g. before a channel closes). */
  flush(): void {
    this.scheduled = false;
    const groups = this.groups;
    if (groups.size === 0) return;
    this.groups = new Map();
    for (const [key, items] of groups) {
      for (let start = 0; start < items.length; start += this.maxChunk)
        this.send(key, items.slice(start, start + this.maxChunk));
    }
  }
}
