import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ConfigError } from '../src';
import { createDeploymentConfigParser, createIncludeLoader } from '../src';

/**
 * The corpus: every `valid/*.yml` must parse, every `invalid/*.yml` must be refused with exactly the errors its
 * `.expected.json` lists (path, line, file when not itself, and a part of the message). Includes are read from
 * disk; https includes are off, so the verdicts never depend on the network.
 */
interface ExpectedError {
  path: string;
  line: number;
  source?: string;
  message?: string;
}

const corpus = path.join(__dirname, 'corpus');
const parser = createDeploymentConfigParser();
const loadInclude = createIncludeLoader({ files: { maxBytes: 1024 * 1024 }, https: false });

function filesIn(kind: string): string[] {
  return readdirSync(path.join(corpus, kind)).filter((name) => name.endsWith('.yml'));
}

async function parseCorpusFile(kind: string, name: string) {
  const file = path.join(corpus, kind, name);
  return parser.parse(readFileSync(file, 'utf8'), { source: file, loadInclude });
}

function shown(kind: string, error: ConfigError): ExpectedError & { message: string } {
  const source = path.relative(path.join(corpus, kind), error.source);
  return { source, path: error.path, line: error.line, message: error.message };
}

afterAll(() => parser.close());

describe('valid overcast.yml files are accepted', () => {
  test.each(filesIn('valid'))('%s', async (name) => {
    const result = await parseCorpusFile('valid', name);
    expect(result.ok ? [] : result.errors.map((error) => shown('valid', error))).toEqual([]);
  });
});

describe('invalid overcast.yml files are refused with every error at its path and line', () => {
  test.each(filesIn('invalid'))('%s', async (name) => {
    const expected: ExpectedError[] = JSON.parse(
      readFileSync(path.join(corpus, 'invalid', name.replace(/\.yml$/, '.expected.json')), 'utf8'),
    );
    const result = await parseCorpusFile('invalid', name);
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors.map((error) => shown('invalid', error));
    expect(errors).toEqual(
      expected.map(({ source, path: at, line, message }) => ({
        source: source ?? name,
        path: at,
        line,
        message: expect.stringContaining(message ?? ''),
      })),
    );
    for (const error of result.ok ? [] : result.errors) expect(error.column).toBeGreaterThan(0);
  });
});
