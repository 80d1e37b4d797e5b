import { PerTurnGroups } from '@overcast/pacing';

interface Waiting<TItem, TResult> {
  item: TItem;
  resolve(result: TResult): void;
  reject(error: unknown): void;
}

/**
 * Items added within one event-loop turn run as one statement (in chunks of `maxChunk`): one round trip and one
 * commit for all the publishes, settles or replies of a busy turn. Each caller gets its own item's result, and
 * every caller of a chunk whose statement failed gets that error.
 */
export class PerTurnStatement<TItem, TResult> {
  private readonly groups: PerTurnGroups<'statement', Waiting<TItem, TResult>>;

  constructor(maxChunk: number, run: (items: TItem[]) => Promise<TResult[]>) {
    this.groups = new PerTurnGroups(maxChunk, (_key, waiting) => {
      run(waiting.map(({ item }) => item)).then(
        (results) => waiting.forEach((entry, index) => entry.resolve(results[index] as TResult)),
        (error: unknown) => waiting.forEach((entry) => entry.reject(error)),
      );
    });
  }

  run(item: TItem): Promise<TResult> {
    return new Promise((resolve, reject) => this.groups.add('statement', { item, resolve, reject }));
  }
}
