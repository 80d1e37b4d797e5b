import { createGuardedYamlParser } from './guarded-parser';
import type { YamlLimits } from './worker-protocol';

/** Every check of the worker's own switched off: what plain `yaml` would face. */
const unguarded: YamlLimits = {
  maxDepth: Number.MAX_SAFE_INTEGER,
  maxScalarLength: Number.MAX_SAFE_INTEGER,
  maxAliases: Number.MAX_SAFE_INTEGER,
  maxExpandedNodes: Number.POSITIVE_INFINITY,
  maxMergeKeys: Number.MAX_SAFE_INTEGER,
};

const laughs = [
  'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
  ...'bcdefghi'.split('').map((name, index) => {
    const previous = 'abcdefgh'[index];
    return `${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`;
  }),
].join('\n');

describe('the YAML worker contains what would kill the process', () => {
  test('nesting deeper than the stack, parsed twice in a row with no checks, is refused; the worker parses on', async () => {
    const parser = createGuardedYamlParser({ timeoutMs: 30_000, maxHeapMb: 256, stackSizeMb: 1 });
    const deep = `a: ${'['.repeat(3000)}${']'.repeat(3000)}`;
    for (let round = 0; round < 2; round += 1) {
      const reply = await parser.request('parse', deep, unguarded);
      expect(reply.ok).toBe(false);
    }
    const after = await parser.request('parse', 'a: [1, 2]', unguarded);
    expect(after).toMatchObject({ ok: true, value: { a: [1, 2] } });
    await parser.close();
  });

  test('a document too large for the worker heap kills only the worker; a new one takes the next parse', async () => {
    const parser = createGuardedYamlParser({ timeoutMs: 20_000, maxHeapMb: 16, stackSizeMb: 4 });
    const large = Array.from({ length: 300_000 }, (_, index) => `key${index}: [value, ${index}]`).join('\n');
    const reply = await parser.request('parse', large, unguarded);
    expect(reply).toMatchObject({ ok: false, problems: [{ message: expect.stringMatching(/parser stopped/) }] });
    const after = await parser.request('parse', 'b: yes', unguarded);
    expect(after).toMatchObject({ ok: true, value: { b: 'yes' } });
    await parser.close();
  });

  test('a parse past the timeout is refused and its worker replaced', async () => {
    const parser = createGuardedYamlParser({ timeoutMs: 100, maxHeapMb: 4096, stackSizeMb: 4 });
    // A warm worker, so the time below is the parse's and the timeout's: a cold start (yaml and js-yaml loaded under
    // type stripping) took 0.1 s quiet and up to 0.5 s under three CPU burners on this 2-core machine.
    expect(await parser.request('parse', 'warm: 1', unguarded)).toMatchObject({ ok: true });
    const started = performance.now();
    // 100,000-deep nesting without checks takes yaml 0.4 s on a fast machine and seconds on a slow one (it recovers
    // from stack overflows as it goes): well past the timeout either way. With a 1 s timeout a fast machine finished
    // first, with a stack overflow instead of the timeout this test is about.
    const reply = await parser.request('parse', `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}`, unguarded);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(reply).toMatchObject({ ok: false, problems: [{ message: expect.stringMatching(/longer than 100 ms/) }] });
    const after = await parser.request('parse', 'c: 3', unguarded);
    expect(after).toMatchObject({ ok: true, value: { c: 3 } });
    await parser.close();
  });

  test('the checks refuse a billion laughs before anything is expanded', async () => {
    const parser = createGuardedYamlParser({ timeoutMs: 2000, maxHeapMb: 64, stackSizeMb: 4 });
    const reply = await parser.request('parse', laughs, { ...unguarded, maxExpandedNodes: 500_000 });
    expect(reply).toMatchObject({
      ok: false,
      problems: [{ message: expect.stringMatching(/more than 500000 nodes/) }],
    });
    // Without the count, yaml's toJS builds it (aliases share one object), and what walks it next would not end.
    await parser.close();
  });

  test('an alias inside the node it names is refused, not expanded forever', async () => {
    const parser = createGuardedYamlParser({ timeoutMs: 2000, maxHeapMb: 64, stackSizeMb: 4 });
    const reply = await parser.request('parse', 'a: &a [1, *a]', { ...unguarded, maxExpandedNodes: 1000 });
    expect(reply.ok).toBe(false);
    await parser.close();
  });
});
