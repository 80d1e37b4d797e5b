/**
 * The YAML worker: composes untrusted YAML where a stack overflow, a runaway allocation or a hang costs a worker
 * thread (killed and replaced by guarded-parser.ts), never the process. Started with Node's type stripping, so it
 * imports only `yaml` and node: modules at run time (erasable syntax only).
 *
 * Before composing, it walks yaml's CST (built by a parser that keeps its own stack, so depth cannot overflow it)
 * and refuses a second document, deep nesting, huge scalars and too many aliases. TOOLCHAIN.md: plain `yaml`
 * stops a billion laughs by its alias cap, but deep nesting parsed twice aborted Node with out-of-memory.
 */
import { parentPort } from 'node:worker_threads';
import type { CST, Document, Node } from 'yaml';
import { Composer, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Parser } from 'yaml';
import type { PathSegment, YamlLimits, YamlParseReply, YamlParseRequest, YamlProblem } from './worker-protocol';

type Refusal = YamlProblem;

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
function checkDocument(document: CST.Token, limits: YamlLimits, counts: { aliases: number }): Refusal | undefined {
  const stack: Array<{ token: CST.Token; depth: number }> = [{ token: document, depth: 0 }];
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    const collection = token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection';
    if (collection && depth > limits.maxDepth) {
      return { offset: token.offset, message: `nesting deeper than ${limits.maxDepth} levels` };
    }
    if (token.type === 'alias') {
      counts.aliases += 1;
      if (counts.aliases > limits.maxAliases) {
        return { offset: token.offset, message: `more than ${limits.maxAliases} aliases` };
      }
    }
    if ('source' in token && token.source.length > limits.maxScalarLength) {
      return { offset: token.offset, message: `a scalar longer than ${limits.maxScalarLength} characters` };
    }
    for (const child of childrenOf(token)) {
      if (child) stack.push({ token: child, depth: collection ? depth + 1 : depth });
    }
  }
  return undefined;
}

/** CST tokens of the one document the text may hold, or the reason it is refused. */
function readTokens(text: string, limits: YamlLimits, lineCounter: LineCounter): CST.Token[] | Refusal {
  const tokens: CST.Token[] = [];
  const counts = { aliases: 0 };
  let documents = 0;
  for (const token of new Parser(lineCounter.addNewLine).parse(text)) {
    if (token.type === 'document') {
      documents += 1;
      // Stop at the second document: the rest of a 10,000-document stream is never parsed.
      if (documents > 1) return { offset: token.offset, message: 'more than one YAML document' };
      const refusal = checkDocument(token, limits, counts);
      if (refusal) return refusal;
    }
    tokens.push(token);
  }
  return tokens;
}

/**
 * How many nodes the document holds once every alias is expanded, counted without expanding anything: each
 * anchored node's size is computed once, in document order (an alias can only name an anchor before it). A
 * billion laughs is ten lines and 10^9 nodes; this refuses it in microseconds, before yaml's toJS would start.
 */
function expandedNodeCount(document: Document.Parsed): number {
  const anchors = new Map<string, Node>();
  const sizes = new Map<Node, number>();
  const inProgress = new Set<Node>();
  const size = (node: unknown): number => {
    if (!node || typeof node !== 'object') return 1;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      return target ? size(target) : 1;
    }
    const written = node as Node;
    if (written.anchor) anchors.set(written.anchor, written);
    if (isScalar(written) || !(isMap(written) || isSeq(written))) return 1;
    const known = sizes.get(written);
    if (known !== undefined) return known;
    // An alias inside the node it names (`a: &a [*a]`) would expand forever.
    if (inProgress.has(written)) return Infinity;
    inProgress.add(written);
    let total = 1;
    for (const item of written.items) total += isPair(item) ? size(item.key) + size(item.value) : size(item);
    inProgress.delete(written);
    sizes.set(written, total);
    return total;
  };
  return size(document.contents);
}

/** Each node's path and start offset; aliases and merged keys are left at the node that names them. */
function collectPaths(document: Document.Parsed): { paths: PathSegment[][]; offsets: number[] } {
  const paths: PathSegment[][] = [];
  const offsets: number[] = [];
  const visit = (node: Node | null | undefined, path: PathSegment[], offset: number) => {
    paths.push(path);
    offsets.push(offset);
    if (!node || isAlias(node) || isScalar(node)) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const start = pair.key.range?.[0] ?? offset;
        visit(pair.value as Node | null, [...path, String(pair.key.value)], start);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const start = (item as Node | null)?.range?.[0] ?? offset;
        visit(item as Node | null, [...path, index], start);
      });
    }
  };
  visit(document.contents as Node | null, [], document.contents?.range?.[0] ?? 0);
  return { paths, offsets };
}

function parseYaml(request: YamlParseRequest): YamlParseReply {
  const { id, text, limits } = request;
  const lineCounter = new LineCounter();
  const tokens = readTokens(text, limits, lineCounter);
  if (!Array.isArray(tokens)) {
    return { id, ok: false, problems: [{ ...tokens, message: `refused: ${tokens.message}` }], lineStarts: [] };
  }
  const composer = new Composer({ merge: true, uniqueKeys: true, prettyErrors: false, version: '1.2' });
  const [document] = [...composer.compose(tokens, true, text.length)];
  const lineStarts = lineCounter.lineStarts;
  if (!document) return { id, ok: false, problems: [{ offset: 0, message: 'no YAML document' }], lineStarts };
  // Warnings count as errors: an unknown tag (`!!js/function`) is only a warning to yaml.
  const problems = [...document.errors, ...document.warnings].map((error) => ({
    offset: error.pos[0],
    message: error.message,
  }));
  if (problems.length > 0) return { id, ok: false, problems, lineStarts, ...collectPaths(document) };
  const expanded = expandedNodeCount(document);
  if (expanded > limits.maxExpandedNodes) {
    const message = `refused: aliases expand it to more than ${limits.maxExpandedNodes} nodes`;
    return { id, ok: false, problems: [{ offset: 0, message }], lineStarts, ...collectPaths(document) };
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { id, ok: false, problems: [{ offset: 0, message: `refused: ${message}` }], lineStarts };
  }
  return { id, ok: true, value, ...collectPaths(document), lineStarts };
}

parentPort?.on('message', (request: YamlParseRequest) => {
  let reply: YamlParseReply;
  try {
    reply = parseYaml(request);
  } catch (error) {
    // A RangeError (stack) or anything yaml throws: the document is refused, the worker lives on.
    const message = error instanceof Error ? error.message : String(error);
    reply = { id: request.id, ok: false, problems: [{ offset: 0, message: `refused: ${message}` }], lineStarts: [] };
  }
  parentPort?.postMessage(reply);
});
