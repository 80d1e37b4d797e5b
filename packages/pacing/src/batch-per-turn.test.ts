import { batchPerTurn } from './batch-per-turn';

describe('batchPerTurn', () => {
  it('loads the keys asked for in one turn together, each caller getting its own value', async () => {
    const batches: number[][] = [];
    const lookup = batchPerTurn(async (keys: number[]) => {
      batches.push(keys);
      return new Map(keys.filter((key) => key % 2 === 0).map((key) => [key, `even ${key}`]));
    }, 3);
    const answers = await Promise.all([1, 2, 3, 4, 2, 6, 8].map((key) => lookup(key)));
    expect(answers).toEqual([undefined, 'even 2', undefined, 'even 4', 'even 2', 'even 6', 'even 8']);
    // A key asked twice is loaded once; at most three keys a batch.
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 6, 8],
    ]);
    await lookup(10);
    expect(batches).toHaveLength(3);
  });

  it('fails every caller of a failed batch and recovers for the next turn', async () => {
    let fail = true;
    const lookup = batchPerTurn(async (keys: string[]) => {
      if (fail) throw new Error('connection reset');
      return new Map(keys.map((key) => [key, key.toUpperCase()]));
    });
    const first = Promise.allSettled([lookup('a'), lookup('b')]);
    expect((await first).map((result) => result.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(lookup('a')).resolves.toBe('A');
  });
});
