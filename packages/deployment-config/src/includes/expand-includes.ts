import path from 'node:path';
import type { ConfigError } from '../config-error';
import { formatPath } from '../config-error';
import type { DeploymentConfigLimits } from '../limits';
import type { Position } from '../positions';
import { positionOf } from '../positions';
import type { ReadDocument } from '../read-document';
import { readDocument } from '../read-document';
import type { GuardedYamlParser } from '../yaml/guarded-parser';
import type { PathSegment } from '../yaml/worker-protocol';
import type { IncludeLoader } from './include-loader';
import { locateInclude, locationKey } from './locate-include';
import type { PositionedValue } from './merge-documents';
import { mergeDocuments } from './merge-documents';

type Document = Extract<ReadDocument, { ok: true }>;

export interface IncludeContext {
  parser: GuardedYamlParser;
  limits: DeploymentConfigLimits;
  loadInclude?: IncludeLoader;
  /** Collects every error found on the way; the expansion itself goes on past them. */
  errors: ConfigError[];
  /** Sources in the order they were read (the order errors are sorted in). */
  sources: string[];
  /** The root's version, which every include must repeat (README: "all included configurations must have the same version"). */
  version: unknown;
  includesRead: number;
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function errorAt(document: Document, path: PathSegment[], message: string): Promise<ConfigError> {
  const fallback: Position = { source: document.source, line: 1, column: 1 };
  const { source, line, column } = positionOf(await document.positions(), path, fallback);
  return { source, path: formatPath(path), line, column, message };
}

/** A file's name or a URL, short enough to read in a chain of them. */
function shortName(key: string): string {
  return /^https:/i.test(key) ? key : path.basename(key);
}

function sameVersion(a: unknown, b: unknown): boolean {
  return a !== undefined && b !== undefined && String(a) === String(b);
}

/** Reads one include (already located and counted) and expands its own includes; undefined when it failed. */
async function readInclude(
  document: Document,
  index: number,
  reference: string,
  chain: string[],
  context: IncludeContext,
): Promise<PositionedValue | undefined> {
  const at: PathSegment[] = ['include', index];
  let key: string;
  let text: string;
  try {
    const location = locateInclude(reference, document.source);
    key = locationKey(location);
    if (chain.includes(key)) throw new Error(`include loop: ${[...chain, key].map(shortName).join(' → ')}`);
    if (context.includesRead >= context.limits.maxIncludes) {
      throw new Error(`more than ${context.limits.maxIncludes} includes`);
    }
    context.includesRead += 1;
    if (!context.loadInclude) throw new Error('includes are not enabled here');
    text = await context.loadInclude(location);
  } catch (error) {
    context.errors.push(await errorAt(document, at, `cannot include "${reference}": ${(error as Error).message}`));
    return undefined;
  }
  context.sources.push(key);
  const included = await readDocument(text, key, context.parser, context.limits);
  if (!included.ok) {
    context.errors.push(...included.errors);
    return undefined;
  }
  const version = isPlainMap(included.value) ? included.value.version : undefined;
  if (!sameVersion(version, context.version)) {
    const found = version === undefined ? 'no version' : `version ${JSON.stringify(version)}`;
    context.errors.push(
      await errorAt(
        included,
        ['version'],
        `has ${found}, but every included file must have the including file's version ${JSON.stringify(context.version)}`,
      ),
    );
  }
  return expandIncludes(included, [...chain, key], context);
}

/**
 * A document with its includes merged in: each include in the order listed (a later one over an earlier one),
 * the including document over them all. Loops (a file that includes itself, directly or not) and the count limit
 * are errors at the `include` entry that would cross them.
 */
export async function expandIncludes(
  document: Document,
  chain: string[],
  context: IncludeContext,
): Promise<PositionedValue> {
  const { value } = document;
  if (!isPlainMap(value) || !('include' in value)) return document;
  const { include, ...rest } = value;
  const own: PositionedValue = { value: rest, positions: document.positions };
  if (include === null) return own;
  if (!Array.isArray(include)) {
    context.errors.push(await errorAt(document, ['include'], 'must be a list of paths or https URLs'));
    return own;
  }
  let merged: PositionedValue | undefined;
  for (const [index, reference] of include.entries()) {
    if (typeof reference !== 'string' || reference === '') {
      context.errors.push(await errorAt(document, ['include', index], 'must be a path or an https URL'));
      continue;
    }
    const included = await readInclude(document, index, reference, chain, context);
    if (included) merged = merged ? mergeDocuments(merged, included) : included;
  }
  return merged ? mergeDocuments(merged, own) : own;
}
