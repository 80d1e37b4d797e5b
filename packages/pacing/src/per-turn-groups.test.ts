import { PerTurnGroups } from './per-turn-groups';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('PerTurnGroups', () => {
  it('sends the items of one turn per key, in chunks, at the end of the turn', async () => {
    const sent: string[] = [];
    const groups = new PerTurnGroups<string, number>(2, (key, items) => sent.push(`${key}: ${items.join(',')}`));
    [1, 2, 3].forEach((item) => groups.add('a', item));
    groups.add('b', 9);
    await Promise.resolve();
    expect(sent).toEqual([]);
    await nextTurn();
    expect(sent).toEqual(['a: 1,2', 'a: 3', 'b: 9']);
    groups.add('a', 4);
    await nextTurn();
    expect(sent).toEqual(['a: 1,2', 'a: 3', 'b: 9', 'a: 4']);
  });

  it('sends on flush without waiting for the turn, and not again when the turn ends', async () => {
    const sent: number[][] = [];
    const groups = new PerTurnGroups<'one', number>(10, (_key, items) => sent.push(items));
    groups.add('one', 1);
    groups.flush();
    expect(sent).toEqual([[1]]);
    await nextTurn();
    expect(sent).toEqual([[1]]);
  });
});
