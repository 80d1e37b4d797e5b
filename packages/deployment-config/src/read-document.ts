import type { ConfigError } from './config-error';
import type { DeploymentConfigLimits } from './limits';
import type { PositionMap } from './positions';
import { buildPositionMap, lineAndColumn, pathAtOffset } from './positions';
import type { GuardedYamlParser } from './yaml/guarded-parser';
import { prescanYaml } from './yaml/prescan';

export type ReadDocument =
  { ok: true; source: string; value: unknown; positions: PositionMap } | { ok: false; errors: ConfigError[] };

/** Where a refusal found before parsing sits: its line, from the text itself. */
function positionInText(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = (before.match(/\n/g)?.length ?? 0) + 1;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** One file's YAML: refused by the prescan, or parsed in the worker with each path's position. */
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
    return {
      ok: false,
      errors: [{ source, path: '', line: at?.line ?? 1, column: at?.column ?? 1, message: refusal.message }],
    };
  }
  const reply = await parser.parse(text, {
    maxDepth: limits.maxDepth,
    maxScalarLength: limits.maxScalarLength,
    maxAliases: limits.maxAliases,
    maxExpandedNodes: limits.maxExpandedNodes,
    maxAliasCount: limits.maxAliasCount,
  });
  if (!reply.ok) {
    const errors = reply.problems.map((problem) => ({
      source,
      path: reply.paths && reply.offsets ? pathAtOffset(reply.paths, reply.offsets, problem.offset) : '',
      ...(reply.lineStarts.length > 0
        ? lineAndColumn(reply.lineStarts, problem.offset)
        : positionInText(text, Math.min(problem.offset, text.length))),
      message: problem.message,
    }));
    return { ok: false, errors };
  }
  return {
    ok: true,
    source,
    value: reply.value,
    positions: buildPositionMap(source, reply.paths, reply.offsets, reply.lineStarts),
  };
}
