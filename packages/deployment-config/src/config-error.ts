import type { PathSegment } from './yaml/worker-protocol';

/** One thing wrong with a deployment file: where (file, path, line, column; 1-based) and what. */
export interface ConfigError {
  /** The file it is in: the root's `source`, or the resolved path or URL of an include. */
  source: string;
  /** `deployment.services.web-tier.westcoast.profile`, `services.web.expose[0].port`; '' for the whole document. */
  path: string;
  line: number;
  column: number;
  message: string;
}

const plainKey = /^[A-Za-z0-9_-]+$/;

/** Appends one segment: `a` + `b` → `a.b`, + 0 → `a.b[0]`; keys that would read ambiguously are quoted. */
export function appendPathSegment(path: string, segment: PathSegment): string {
  if (typeof segment === 'number') return `${path}[${segment}]`;
  if (!plainKey.test(segment)) return `${path}[${JSON.stringify(segment)}]`;
  return path === '' ? segment : `${path}.${segment}`;
}

export function formatPath(segments: readonly PathSegment[]): string {
  return segments.reduce<string>(appendPathSegment, '');
}

/** Root file first, then includes in the order they were read; within a file by line and column. */
export function sortErrors(errors: ConfigError[], sourceOrder: readonly string[]): ConfigError[] {
  const rank = (source: string) => {
    const index = sourceOrder.indexOf(source);
    return index === -1 ? sourceOrder.length : index;
  };
  return [...errors].sort(
    (a, b) => rank(a.source) - rank(b.source) || a.line - b.line || a.column - b.column || a.path.localeCompare(b.path),
  );
}
