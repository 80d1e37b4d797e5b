/**
 * Items added within one event-loop turn, grouped by key and handed to `send` at the end of the turn, in chunks
 * of at most `maxChunk`: how the RPC client batches its calls per service and a service its replies per caller.
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

  private flush(): void {
    this.scheduled = false;
    const groups = this.groups;
    this.groups = new Map();
    for (const [key, items] of groups) {
      for (let start = 0; start < items.length; start += this.maxChunk)
        this.send(key, items.slice(start, start + this.maxChunk));
    }
  }
}
