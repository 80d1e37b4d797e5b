import type { ConfigError } from './config-error';
import { formatPath, sortErrors } from './config-error';
import { checkCrossReferences } from './cross-references';
import { expandIncludes } from './includes/expand-includes';
import type { IncludeLoader } from './includes/include-loader';
import type { DeploymentConfigLimits } from './limits';
import { defaultLimits } from './limits';
import { positionOf } from './positions';
import { readDocument } from './read-document';
import type { DeploymentConfig } from './schema/overcast-file';
import { OvercastFile } from './schema/overcast-file';
import { schemaErrors } from './schema-errors';
import { createGuardedYamlParser } from './yaml/guarded-parser';

export interface ParseDeploymentConfigOptions {
  /** What the text is: a path (relative includes resolve beside it), an https URL, or a name for errors. */
  source: string;
  /** Reads includes; without one, a file that has includes is refused. See createIncludeLoader. */
  loadInclude?: IncludeLoader;
}

export type ParseDeploymentConfigResult = { ok: true; config: DeploymentConfig } | { ok: false; errors: ConfigError[] };

/** The file with its includes merged in, as one document that includes nothing (JSON, which is YAML too). */
export type InlineIncludesResult = { ok: true; text: string; inlined: boolean } | { ok: false; errors: ConfigError[] };

export interface DeploymentConfigParser {
  parse(text: string, options: ParseDeploymentConfigOptions): Promise<ParseDeploymentConfigResult>;
  /**
   * What a client that has the files sends a server that reads none: the includes read and merged as parse()
   * merges them; a file without `include` comes back as it is (`inlined: false`). Only the includes are checked.
   */
  inlineIncludes(text: string, options: ParseDeploymentConfigOptions): Promise<InlineIncludesResult>;
  /** Stops the parsing worker (a later parse starts another). */
  close(): Promise<void>;
}

function withoutDuplicates(errors: ConfigError[]): ConfigError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = `${error.source}\u0000${error.path}\u0000${error.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Parses and validates overcast.yml: the YAML (bounded, in a worker), its includes merged in, the schema with
 * defaults applied, then the cross-references. Every error comes back at once, sorted by file and line; the
 * promise rejects only for a fault of this code, never for anything in the text.
 */
export function createDeploymentConfigParser(overrides: Partial<DeploymentConfigLimits> = {}): DeploymentConfigParser {
  const limits: DeploymentConfigLimits = { ...defaultLimits, ...overrides };
  const parser = createGuardedYamlParser({
    timeoutMs: limits.parseTimeoutMs,
    maxHeapMb: limits.workerHeapMb,
    stackSizeMb: 4,
  });
  return {
    async parse(text, { source, loadInclude }) {
      const sources = [source];
      const root = await readDocument(text, source, parser, limits);
      if (!root.ok) return { ok: false, errors: sortErrors(root.errors, sources) };
      const errors: ConfigError[] = [];
      const version =
        typeof root.value === 'object' && root.value ? (root.value as { version?: unknown }).version : undefined;
      const context = { parser, limits, loadInclude, errors, sources, version, includesRead: 0 };
      const merged = await expandIncludes(root, [source], context);
      const fallback = { source, line: 1, column: 1 };
      const result = OvercastFile.safeParse(merged.value);
      const problems = checkCrossReferences(merged.value);
      if (!result.success || problems.length > 0) {
        // Only now are positions worked out: a valid file never pays for them.
        const positions = await merged.positions();
        if (!result.success) errors.push(...schemaErrors(result.error.issues, positions, fallback));
        for (const problem of problems) {
          const { source: file, line, column } = positionOf(positions, problem.path, fallback);
          errors.push({ source: file, path: formatPath(problem.path), line, column, message: problem.message });
        }
      }
      if (errors.length > 0 || !result.success) {
        return { ok: false, errors: sortErrors(withoutDuplicates(errors), sources) };
      }
      return { ok: true, config: result.data };
    },
    async inlineIncludes(text, { source, loadInclude }) {
      const sources = [source];
      const root = await readDocument(text, source, parser, limits);
      if (!root.ok) return { ok: false, errors: sortErrors(root.errors, sources) };
      const { value } = root;
      if (typeof value !== 'object' || value === null || !('include' in value))
        return { ok: true, text, inlined: false };
      const errors: ConfigError[] = [];
      const version = (value as { version?: unknown }).version;
      const merged = await expandIncludes(root, [source], {
        parser,
        limits,
        loadInclude,
        errors,
        sources,
        version,
        includesRead: 0,
      });
      if (errors.length > 0) return { ok: false, errors: sortErrors(withoutDuplicates(errors), sources) };
      return { ok: true, text: `${JSON.stringify(merged.value, null, 2)}\n`, inlined: true };
    },
    close: () => parser.close(),
  };
}

let sharedParser: DeploymentConfigParser | undefined;

/** parse() of one parser shared by the process, on the default limits. */
export function parseDeploymentConfig(
  text: string,
  options: ParseDeploymentConfigOptions,
): Promise<ParseDeploymentConfigResult> {
  sharedParser ??= createDeploymentConfigParser();
  return sharedParser.parse(text, options);
}
