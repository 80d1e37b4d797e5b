import type { z } from 'zod';

/** One invalid or missing environment variable and why. */
export interface ConfigProblem {
  variable: string;
  problem: string;
}

/** The environment does not satisfy the service's schema; the message lists every variable at fault. */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super(['invalid configuration:', ...problems.map((p) => `  ${p.variable}: ${p.problem}`)].join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Parse the environment with a zod object schema whose keys are variable names.
 * An empty variable counts as unset (`FOO=` in an env file, `${FOO:-}` in compose), so defaults apply.
 * Problems never echo the value: it may be a secret (DATABASE_URL carries a password).
 */
export function parseConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const result = schema.safeParse(withoutEmptyValues(env));
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    variable: issue.path.length > 0 ? issue.path.map(String).join('.') : '(environment)',
    problem: describeIssue(issue, env),
  }));
  throw new ConfigError(problems);
}

function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') values[name] = value;
  }
  return values;
}

function describeIssue(issue: z.core.$ZodIssue, env: NodeJS.ProcessEnv): string {
  const variable = issue.path[0];
  const isUnset = typeof variable === 'string' && (env[variable] === undefined || env[variable] === '');
  if (isUnset && issue.path.length === 1 && issue.code === 'invalid_type') return 'is required but not set';
  return issue.message;
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Where the problems are printed (default stderr). */
  write?: (text: string) => void;
  /** Default `process.exit`; injectable so the exit path is testable. */
  exit?: (code: number) => never;
}

/** For `main.ts`: the parsed config, or the problems printed one per line and exit code 1. */
export function loadConfigOrExit<S extends z.ZodType>(schema: S, options: LoadConfigOptions = {}): z.output<S> {
  try {
    return parseConfig(schema, options.env ?? process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const write = options.write ?? ((text: string) => process.stderr.write(text));
    write(`${error.message}\n`);
    const exit = options.exit ?? ((code: number) => process.exit(code));
    return exit(1);
  }
}
