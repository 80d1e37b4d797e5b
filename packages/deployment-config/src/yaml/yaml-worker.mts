/**
 * The YAML worker: loads untrusted YAML where a stack overflow, a runaway allocation or a hang costs a worker
 * thread (killed and replaced by guarded-parser.ts), never the process. Started with Node's type stripping, so it
 * imports only packages and node: modules at run time (erasable syntax only).
 *
 * Values come from js-yaml (about twenty times faster than `yaml` on a 1 MB file here, see bench/README.md) on
 * its core schema plus merge keys: no !!js/function or other code tags, duplicate keys refused, nesting and merge
 * keys capped by its own options. Positions come from `yaml`, whose CST and AST know where every node is, only
 * when there are errors to place. TOOLCHAIN.md: plain `yaml` stops a billion laughs by its alias cap, but deep
 * nesting parsed twice aborted Node with out-of-memory; here nesting is capped before either parser recurses.
 */
import { parentPort } from 'node:worker_threads';
import type { LoadOptions, Type } from 'js-yaml';
import * as jsYaml from 'js-yaml';
import type { CST, Document, Node } from 'yaml';
import { Composer, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Parser } from 'yaml';
import type {
  PathSegment,
  WorkerReady,
  YamlLimits,
  YamlLocations,
  YamlProblem,
  YamlReply,
  YamlRequest,
} from './worker-protocol';

// js-yaml's typings leave out its `types` export; the merge type is what DEFAULT_SCHEMA adds merge keys with.
const { merge } = (jsYaml as unknown as { types: { merge: Type } }).types;
const schema = jsYaml.CORE_SCHEMA.extend({ implicit: [merge] });

/** Larger texts that fail to load get no path for their YAML error: placing it would cost more than it tells. */
const maxLocatedFailureLength = 256 * 1024;

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

/**
 * Nodes once aliases are expanded, the longest scalar, and whether an alias names its own ancestor. js-yaml
 * gives every alias the anchored value itself, so a billion laughs loads as a few shared arrays; each shared
 * value is sized once here, so the count costs the written size, not the expanded one.
 */
function checkValue(value: unknown, limits: YamlLimits, mayHaveAliases: boolean): string | undefined {
  const sizes = new Map<object, number>();
  const inProgress = new Set<object>();
  let longest = 0;
  const size = (node: unknown): number => {
    if (typeof node === 'string') longest = Math.max(longest, node.length);
    if (typeof node !== 'object' || node === null) return 1;
    // Without aliases nothing is shared: the bookkeeping below would only cost time.
    if (!mayHaveAliases) {
      let total = 1;
      if (Array.isArray(node)) for (const item of node) total += size(item);
      else for (const key in node) total += size(key) + size((node as Record<string, unknown>)[key]);
      return total;
    }
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (inProgress.has(node)) return Number.POSITIVE_INFINITY;
    inProgress.add(node);
    let total = 1;
    if (Array.isArray(node)) for (const item of node) total += size(item);
    else for (const [key, item] of Object.entries(node)) total += size(key) + size(item);
    inProgress.delete(node);
    sizes.set(node, total);
    return total;
  };
  const expanded = size(value);
  if (expanded === Number.POSITIVE_INFINITY) return 'an alias inside the node it names (it would expand forever)';
  if (expanded > limits.maxExpandedNodes) return `aliases expand it to more than ${limits.maxExpandedNodes} nodes`;
  if (longest > limits.maxScalarLength) return `a scalar longer than ${limits.maxScalarLength} characters`;
  return undefined;
}

function childrenOf(token: CST.Token): Array<CST.Token | null | undefined> {
  switch (token.type) {
    case 'document':
      return [token.value];
    case 'block-map':
    case 'block-seq':
    case 'flow-collection':
      return token.items.flatMap((item) => [item.key, item.value]);
    case 'block-scalar':
      return token.props;
    default:
      return [];
  }
}

/** Walks one document's CST with an explicit stack; the first limit exceeded is the refusal. */
function checkTokens(document: CST.Token, limits: YamlLimits, counts: { aliases: number }): YamlProblem | undefined {
  const stack: Array<{ token: CST.Token; depth: number }> = [{ token: document, depth: 0 }];
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    const collection = token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection';
    if (collection && depth > limits.maxDepth) {
      return { offset: token.offset, message: `refused: nesting deeper than ${limits.maxDepth} levels` };
    }
    if (token.type === 'alias' && ++counts.aliases > limits.maxAliases) {
      return { offset: token.offset, message: `refused: more than ${limits.maxAliases} aliases` };
    }
    if ('source' in token && token.source.length > limits.maxScalarLength) {
      return { offset: token.offset, message: `refused: a scalar longer than ${limits.maxScalarLength} characters` };
    }
    for (const child of childrenOf(token)) {
      if (child) stack.push({ token: child, depth: collection ? depth + 1 : depth });
    }
  }
  return undefined;
}

/** yaml's CST of the one document (its parser keeps its own stack, so depth cannot overflow it), checked. */
function readTokens(text: string, limits: YamlLimits, lineCounter: LineCounter): CST.Token[] | YamlProblem {
  const tokens: CST.Token[] = [];
  const counts = { aliases: 0 };
  let documents = 0;
  for (const token of new Parser(lineCounter.addNewLine).parse(text)) {
    if (token.type === 'document') {
      documents += 1;
      if (documents > 1) return { offset: token.offset, message: 'refused: more than one YAML document' };
      const refusal = checkTokens(token, limits, counts);
      if (refusal) return refusal;
    }
    tokens.push(token);
  }
  return tokens;
}

/** Each node's path and start offset; aliases and merged keys are left at the node that names them. */
function collectPaths(document: Document.Parsed): Pick<YamlLocations, 'paths' | 'offsets'> {
  const paths: PathSegment[][] = [];
  const offsets: number[] = [];
  const visit = (node: Node | null | undefined, path: PathSegment[], offset: number) => {
    paths.push(path);
    offsets.push(offset);
    if (!node || isAlias(node) || isScalar(node)) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        visit(pair.value as Node | null, [...path, String(pair.key.value)], pair.key.range?.[0] ?? offset);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        visit(item as Node | null, [...path, index], (item as Node | null)?.range?.[0] ?? offset);
      });
    }
  };
  visit(document.contents as Node | null, [], document.contents?.range?.[0] ?? 0);
  return { paths, offsets };
}

/** Where every node of the text is, by yaml's composer; yaml's own problems when it cannot compose it. */
function locate(text: string, limits: YamlLimits): { locations?: YamlLocations; problems: YamlProblem[] } {
  const lineCounter = new LineCounter();
  const tokens = readTokens(text, limits, lineCounter);
  if (!Array.isArray(tokens)) return { problems: [tokens] };
  const composer = new Composer({ merge: true, uniqueKeys: true, prettyErrors: false, version: '1.2' });
  const [document] = [...composer.compose(tokens, true, text.length)];
  if (!document) return { problems: [{ offset: 0, message: 'no YAML document' }] };
  const problems = [...document.errors, ...document.warnings].map((error) => ({
    offset: error.pos[0],
    message: error.message,
  }));
  return { locations: { ...collectPaths(document), lineStarts: lineCounter.lineStarts }, problems };
}

function parse(request: YamlRequest): YamlReply {
  const { id, text, limits } = request;
  let value: unknown;
  try {
    // js-yaml's typings predate its maxDepth and maxTotalMergeKeys options (4.3).
    const options: LoadOptions & { maxDepth: number; maxTotalMergeKeys: number } = {
      schema,
      maxDepth: limits.maxDepth,
      maxTotalMergeKeys: limits.maxMergeKeys,
    };
    value = jsYaml.load(text, options);
  } catch (error) {
    const { reason, mark, message } = error as { reason?: string; mark?: { position?: number }; message?: string };
    const reasonText = reason ?? message ?? String(error);
    // js-yaml's own limits (depth, merge keys) are refusals of a hostile file: not worth placing on a path.
    const refused = / exceeded max/.test(reasonText);
    const problem = { offset: mark?.position ?? 0, message: refused ? `refused: ${reasonText}` : reasonText };
    const located = !refused && text.length <= maxLocatedFailureLength ? locate(text, limits).locations : undefined;
    return {
      id,
      ok: false,
      problems: [problem],
      lineStarts: located?.lineStarts ?? lineStartsOf(text),
      locations: located,
    };
  }
  // An alias is written `*name`: a text without a star has none.
  const refusal = checkValue(value, limits, text.includes('*'));
  if (refusal) return { id, ok: false, problems: [{ offset: 0, message: `refused: ${refusal}` }], lineStarts: [0] };
  return { id, ok: true, value };
}

function answer(request: YamlRequest): YamlReply {
  if (request.op === 'parse') return parse(request);
  const { locations, problems } = locate(request.text, request.limits);
  if (locations) return { id: request.id, ok: true, value: undefined, locations };
  return { id: request.id, ok: false, problems, lineStarts: lineStartsOf(request.text) };
}

parentPort?.on('message', (request: YamlRequest) => {
  let reply: YamlReply;
  try {
    reply = answer(request);
  } catch (error) {
    // A RangeError (stack) or anything a parser throws: the document is refused, the worker lives on.
    const message = error instanceof Error ? error.message : String(error);
    reply = { id: request.id, ok: false, problems: [{ offset: 0, message: `refused: ${message}` }], lineStarts: [0] };
  }
  parentPort?.postMessage(reply);
});
const loaded: WorkerReady = { ready: true };
parentPort?.postMessage(loaded);
