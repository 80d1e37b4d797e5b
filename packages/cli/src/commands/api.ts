import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { OvercastApiError } from '@overcast/sdk';
import type { CliIo } from '../cli-io';
import { UsageError } from '../cli-io';
import { withExamples } from '../help-examples';
import { runWithContext } from './run-with-context';

interface ApiFlags {
  method?: string;
  header: string[];
  input?: string;
}

/** openapi-fetch's method-agnostic call, reached without the spec's path types (the path is the user's). */
type UntypedRequest = (
  method: string,
  path: string,
  init: Record<string, unknown>,
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/**
 * `overcast api <path>`, as `gh api`: any operation of the API with the configured URL and token and the SDK's
 * retries, for what has no command of its own. The reference page's CLI samples use it, for every operation.
 */
export function registerApiCommand(program: Command, io: CliIo): void {
  withExamples(
    program
      .command('api')
      .argument('<path>', 'the path and query, e.g. /instances?env=test')
      .description('call any API operation with the configured URL and token, and print the answer')
      .option('-X, --method <method>', 'HTTP method (default GET, or POST with --input)')
      .option('-H, --header <name:value>', 'add a request header (repeatable)', collect, [])
      .option('--input <file>', 'the request body from a file, or - for standard input (JSON unless -H Content-Type)'),
    'overcast api /quotas',
    "overcast api '/instances?env=test&limit=5' --json --jq '.instances[].id'",
    'overcast api /tokens -X POST --input - <<<\'{"description": "ci", "role": "developer"}\'',
  ).action(
    runWithContext(io, async (context, path: string, flags: ApiFlags) => {
      if (!path.startsWith('/')) throw new UsageError(`the path must start with /: ${path}`);
      const headers: Record<string, string> = {};
      for (const header of flags.header) {
        const colon = header.indexOf(':');
        if (colon <= 0) throw new UsageError(`a header is name:value, not ${header}`);
        headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
      }
      const body = flags.input === undefined ? undefined : await readInput(flags.input, io);
      if (body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
        headers['Content-Type'] = 'application/json';
      }
      const method = (flags.method ?? (body === undefined ? 'GET' : 'POST')).toUpperCase();
      const request = context.client().http.request as unknown as UntypedRequest;
      const { data, error, response } = await request(method, path, {
        headers,
        parseAs: 'text',
        ...(body === undefined ? {} : { body, bodySerializer: (raw: string) => raw }),
      });
      if (!response.ok) throw OvercastApiError.fromResponse(response, parseJson(String(error ?? '')) ?? error);
      const text = typeof data === 'string' ? data : '';
      const json = response.headers.get('content-type')?.includes('json') ? parseJson(text) : undefined;
      if (json === undefined) {
        io.stdout(text === '' || text.endsWith('\n') ? text : `${text}\n`);
        return;
      }
      await context.print(json, () => `${JSON.stringify(json, null, 2)}\n`);
    }),
  );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function readInput(source: string, io: CliIo): Promise<string> {
  if (source !== '-') return readFile(source, 'utf8');
  if (io.readStdin === undefined) throw new UsageError('--input - needs standard input');
  return io.readStdin();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
