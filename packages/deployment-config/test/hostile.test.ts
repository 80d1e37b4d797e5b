import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createDeploymentConfigParser } from '../src';

/**
 * Hostile YAML: each document is refused (never parsed into a deployment, never crashing the process) by a check of
 * its own, not by the worker's 10 s timeout or its death: about 35 ms at most on a quiet host. The first parse of a
 * process starts the parsing worker, so the parser is warmed first; the cost of that start is measured by
 * bench/registry, not here.
 */
const parser = createDeploymentConfigParser();
/**
 * Far under the 10 s parse timeout, far over a quiet host's time: on this 2-core machine under two CPU burners the
 * merge-key bomb took 110-176 ms, so a 100 ms budget measured the host's load, not the refusal.
 */
const budgetMs = 2_000;
/** What the worker answers when the document beat its guards: it overran the timeout or exhausted the worker. */
const exhausted = /took longer than|parser stopped|did not start/;

const valid =
  'version: "0.1"\nservices:\n  web:\n    image: x\ndeployment:\n  datacenters:\n    dc:\n      region: us-west\n      profiles:\n        p:\n          qos:\n  services:\n    web:\n      dc: { profile: p, nodes: 1 }\n';

const generated: Array<[string, () => string]> = [
  ['100,000-deep flow nesting', () => `version: "0.1"\nservices: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`],
  ['100,000-deep flow nesting, sent again', () => `services: ${'{a: '.repeat(100_000)}1${'}'.repeat(100_000)}\n`],
  ['100,000-deep block nesting on one line', () => `services:\n  web:\n    args:\n      ${'- '.repeat(100_000)}x\n`],
  ['1,000-deep nesting (the case that aborted Node), first', () => `a: ${'['.repeat(1000)}${']'.repeat(1000)}\n`],
  ['1,000-deep nesting, second', () => `a: ${'['.repeat(1000)}${']'.repeat(1000)}\n`],
  [
    '200-deep indented block nesting',
    () => Array.from({ length: 200 }, (_, depth) => `${' '.repeat(depth)}k${depth}:`).join('\n'),
  ],
  ['a 50 MB scalar', () => `version: "0.1"\nservices:\n  web:\n    image: "${'x'.repeat(50 * 1024 * 1024)}"\n`],
  [
    'a 100 KB scalar in a small file',
    () => `version: "0.1"\nservices:\n  web:\n    image: ${'x'.repeat(100 * 1024)}\n`,
  ],
  ['10,000 documents', () => `---\nversion: "0.1"\n`.repeat(10_000)],
  ['two documents', () => `${valid}---\n${valid}`],
  ['3,000 aliases of one anchor', () => `a: &a x\nb: [${Array(3000).fill('*a').join(', ')}]\n`],
];

function committed(): Array<[string, () => string]> {
  const dir = path.join(__dirname, 'corpus', 'hostile');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yml'))
    .map((name) => [name, () => readFileSync(path.join(dir, name), 'utf8')]);
}

beforeAll(async () => {
  // A warm worker, as in a running registry: it has loaded a valid file and placed the errors of an invalid one.
  expect((await parser.parse(valid, { source: 'warm-up.yml' })).ok).toBe(true);
  expect((await parser.parse(`${valid}  web: {}\n`, { source: 'warm-up.yml' })).ok).toBe(false);
});

afterAll(() => parser.close());

test.each([...committed(), ...generated])('%s is refused by a check, not by a timeout', async (_name, make) => {
  const text = make();
  const started = performance.now();
  const result = await parser.parse(text, { source: 'hostile.yml' });
  const elapsed = performance.now() - started;
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.errors.length).toBeGreaterThan(0);
    for (const error of result.errors) expect(error.line).toBeGreaterThan(0);
    for (const error of result.errors) expect(error.message).not.toMatch(exhausted);
  }
  expect(elapsed).toBeLessThan(budgetMs);
});

test('after the hostile corpus the parser still accepts a valid file', async () => {
  const result = await parser.parse(valid, { source: 'after.yml' });
  expect(result.ok).toBe(true);
});
