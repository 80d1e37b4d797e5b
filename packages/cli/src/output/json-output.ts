import { raw as runJq } from 'jq-wasm';
import { UsageError } from '../cli-io';

/** What `--json` may select from a command's output: the resource's fields, and the list holding them. */
export interface JsonShape {
  fields: readonly string[];
  /** For list commands: the resources, printed as an array when fields are selected (as gh does). */
  list?: readonly unknown[];
}

export interface JsonRequest {
  /** `--json` given bare: everything; given fields: only those. */
  fields: string[] | 'all';
  jq: string | undefined;
}

function pickFields(value: unknown, fields: string[]): Record<string, unknown> {
  const source = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  return Object.fromEntries(fields.map((field) => [field, source[field] ?? null]));
}

/** The JSON a command prints under `--json`, filtered by `--jq` (jq itself, compiled to WebAssembly: jq-wasm). */
export async function renderJson(value: unknown, request: JsonRequest, shape: JsonShape | undefined): Promise<string> {
  let selected = value;
  if (request.fields !== 'all') {
    if (shape === undefined) throw new UsageError('this command prints no fields to select: use --json alone');
    const unknown = request.fields.filter((field) => !shape.fields.includes(field));
    if (unknown.length > 0) {
      throw new UsageError(
        `unknown JSON field${unknown.length > 1 ? 's' : ''} ${unknown.map((field) => `"${field}"`).join(', ')}; available: ${shape.fields.join(', ')}`,
      );
    }
    const fields = request.fields;
    selected = shape.list ? shape.list.map((item) => pickFields(item, fields)) : pickFields(value, fields);
  }
  if (request.jq === undefined) return `${JSON.stringify(selected, null, 2)}\n`;
  let output: string;
  // jq-wasm is an Emscripten build: a jq that exits non-zero sets process.exitCode, which would outlive this call
  // (the CLI's own exit code is runCli's answer, and a host process such as a test runner must not inherit jq's).
  const exitCodeBefore = process.exitCode;
  try {
    // -r as gh does: strings come out raw, ready for a shell loop.
    output = await runJq(selected as object, request.jq, ['-r']);
  } catch (error) {
    throw new UsageError(`--jq: ${error instanceof Error ? error.message.replace(/\s+/g, ' ').trim() : String(error)}`);
  } finally {
    process.exitCode = exitCodeBefore;
  }
  return output === '' ? '' : `${output.replace(/\n$/, '')}\n`;
}

/**
 * `--json` takes an optional field list, so `overcast --json instances list` would read `instances` as fields.
 * A value that is a command's name or no field list at all is left to the parser as an argument instead.
 */
export function separateBareJsonFlag(argv: string[], commandNames: ReadonlySet<string>): string[] {
  return argv.flatMap((argument, index) => {
    if (argument !== '--json') return [argument];
    const next = argv[index + 1];
    const isFieldList = next !== undefined && /^[a-z_]+(,[a-z_]+)*$/.test(next) && !commandNames.has(next);
    return isFieldList ? [argument] : ['--json='];
  });
}

/** Parses `--json`'s value: '' or true means every field. */
export function parseJsonFlag(value: string | boolean | undefined, jq: string | undefined): JsonRequest | undefined {
  if (value === undefined || value === false) {
    if (jq !== undefined) throw new UsageError('--jq needs --json (add --json, or --json with the fields to filter)');
    return undefined;
  }
  const fields =
    value === true || value === ''
      ? ('all' as const)
      : value
          .split(',')
          .map((field) => field.trim())
          .filter((field) => field !== '');
  return { fields, jq };
}
