import type { ConfigError } from './config-error';
import type { DeploymentConfigLimits } from './limits';
import type { PositionMap } from './positions';
import { buildPositionMap, lineAndColumn, pathAtOffset } from './positions';
import type { GuardedYamlParser } from './yaml/guarded-parser';
import { prescanYaml } from './yaml/prescan';
import type { YamlLimits } from './yaml/worker-protocol';

/** Where each path was written, worked out only when an error needs it (it costs several parses). */
export type LocatePositions = () => Promise<PositionMap>;

export type ReadDocument =
  { ok: true; source: string; value: unknown; positions: LocatePositions } | { ok: false; errors: ConfigError[] };

function yamlLimits(limits: DeploymentConfigLimits): YamlLimits {
  return {
    maxDepth: limits.maxDepth,
    maxScalarLength: limits.maxScalarLength,
    maxAliases: limits.maxAliases,
    maxExpandedNodes: limits.maxExpandedNodes,
    maxMergeKeys: limits.maxMergeKeys,
  };
}

/** Where a refusal found before parsing sits: its line, from the text itself. */
function positionInText(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = (before.match(/\n/g)?.length ?? 0) + 1;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** A function that asks the worker for the positions once and remembers them. */
function positionsOnDemand(
  text: string,
  source: string,
  parser: GuardedYamlParser,
  limits: DeploymentConfigLimits,
): LocatePositions {
  let located: Promise<PositionMap> | undefined;
  return () => {
    located ??= parser.request('locate', text, yamlLimits(limits)).then((reply) => {
      // yaml and js-yaml may disagree on a corner of the grammar; errors then point at line 1 rather than nowhere.
      if (!reply.ok || !reply.locations) return new Map();
      const { paths, offsets, lineStarts } = reply.locations;
      return buildPositionMap(source, paths, offsets, lineStarts);
    });
    return located;
  };
}

/** One file's YAML: refused by the prescan, refused or loaded by the worker. */
export async function readDocument(
  text: string,
  source: string,
  parser: GuardedYamlParser,
  limits: DeploymentConfigLimits,
): Promise<ReadDocument> {
  const refusal = prescanYaml(text, {
    maxBytes: limits.maxBytes,
    maxDepth: limits.maxDepth * 2,
    maxAliases: limits.maxAliases * 2,
  });
  if (refusal) {
    const at = refusal.offset > 0 && refusal.offset < text.length ? positionInText(text, refusal.offset) : undefined;
    const error = { source, path: '', line: at?.line ?? 1, column: at?.column ?? 1, message: refusal.message };
    return { ok: false, errors: [error] };
  }
  const reply = await parser.request('parse', text, yamlLimits(limits));
  if (!reply.ok) {
    const errors = reply.problems.map((problem) => ({
      source,
      path: reply.locations ? pathAtOffset(reply.locations.paths, reply.locations.offsets, problem.offset) : '',
      ...lineAndColumn(reply.lineStarts, problem.offset),
      message: problem.message,
    }));
    return { ok: false, errors };
  }
  return { ok: true, source, value: reply.value, positions: positionsOnDemand(text, source, parser, limits) };
}
