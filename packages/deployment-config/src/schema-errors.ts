import type { z } from 'zod';
import type { ConfigError } from './config-error';
import { formatPath } from './config-error';
import type { Position, PositionMap } from './positions';
import { positionOf } from './positions';
import type { PathSegment } from './yaml/worker-protocol';

const typeNames: Record<string, string> = {
  object: 'a map',
  record: 'a map',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
};

/** zod's own wording; a message written in a schema here is kept as it is. */
const zodDefaultMessage = /^(Invalid|Too big|Too small)/;

function describe(issue: z.core.$ZodIssue): string {
  if (!zodDefaultMessage.test(issue.message)) return issue.message;
  if (issue.code === 'invalid_type') {
    const expected = typeNames[issue.expected] ?? issue.expected;
    // zod says "received undefined" for a key that is not there.
    if (/received undefined$/.test(issue.message)) return 'is required';
    return `must be ${expected}`;
  }
  if (issue.code === 'invalid_key') return issue.issues[0]?.message ?? issue.message;
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map((value) => String(value)).join(', ')}`;
  if (issue.code === 'too_small') {
    if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
    if (issue.origin === 'array') return `must list at least ${issue.minimum}`;
    return `must be at least ${issue.minimum}`;
  }
  if (issue.code === 'too_big') return `must be at most ${issue.maximum}`;
  return issue.message;
}

/** zod's issues as errors at the paths and lines they concern; an unknown key is one error at that key. */
export function schemaErrors(
  issues: readonly z.core.$ZodIssue[],
  positions: PositionMap,
  fallback: Position,
): ConfigError[] {
  const at = (path: readonly PathSegment[], message: string): ConfigError => {
    const { source, line, column } = positionOf(positions, path, fallback);
    return { source, path: formatPath(path), line, column, message };
  };
  return issues.flatMap((issue) => {
    const path = issue.path as PathSegment[];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => at([...path, key], `unknown key "${key}"`));
    }
    if (path.length === 0 && issue.code === 'invalid_type') {
      return [at(path, 'the document must be a map of version, services, deployment and notifications')];
    }
    return [at(path, describe(issue))];
  });
}
