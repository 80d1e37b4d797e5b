import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createDeploymentConfigParser, createIncludeLoader } from '../src';

/**
 * A server reads no files, so a client inlines a file's includes before sending it: the one document it sends
 * parses, with no loader at all, to what the file and its includes parse to.
 */
const parser = createDeploymentConfigParser();
const files = createIncludeLoader({ files: { maxBytes: 1024 * 1024 } });
const server = createIncludeLoader({});
const corpus = path.join(__dirname, 'corpus');

afterAll(() => parser.close());

test('a file with nested relative includes becomes one document the server parses to the same config', async () => {
  const file = path.join(corpus, 'valid', 'with-includes.yml');
  const text = readFileSync(file, 'utf8');
  const inlined = await parser.inlineIncludes(text, { source: file, loadInclude: files });
  if (!inlined.ok) throw new Error(JSON.stringify(inlined.errors));
  expect(inlined.inlined).toBe(true);
  expect(inlined.text).not.toContain('include');
  const sent = await parser.parse(inlined.text, { source: 'overcast.yml', loadInclude: server });
  const local = await parser.parse(text, { source: file, loadInclude: files });
  expect(sent).toEqual(local);
  expect(sent.ok).toBe(true);
});

test('a file without includes is sent as written', async () => {
  const file = path.join(corpus, 'valid', 'minimal.yml');
  const text = readFileSync(file, 'utf8');
  expect(await parser.inlineIncludes(text, { source: file, loadInclude: files })).toEqual({
    ok: true,
    text,
    inlined: false,
  });
});

test('an include that cannot be read is an error at its entry, with its path', async () => {
  const text = 'version: "0.1"\ninclude:\n  - missing.yml\n';
  const source = path.join(corpus, 'valid', 'sent.yml');
  const result = await parser.inlineIncludes(text, { source, loadInclude: files });
  expect(result).toMatchObject({
    ok: false,
    errors: [{ path: 'include[0]', line: 3, message: expect.stringContaining('missing.yml does not exist') }],
  });
});

test('the server refuses a relative include, naming the entry and saying how to send it', async () => {
  const text = 'version: "0.1"\ninclude:\n  - services.yml\n';
  const result = await parser.parse(text, { source: 'overcast.yml', loadInclude: server });
  if (result.ok) throw new Error('a relative include was read by the server');
  expect(result.errors.find((error) => error.path === 'include[0]')).toMatchObject({
    line: 3,
    message: expect.stringMatching(/cannot include "services.yml": a file sent to the registry cannot include files/),
  });
});
