import type { Command } from 'commander';
import type { OvercastClient } from '@overcast/sdk';
import { createClient } from '@overcast/sdk';
import type { CliIo } from './cli-io';
import { MissingTokenError } from './cli-io';
import type { Settings } from './config/resolve-settings';
import { resolveSettings } from './config/resolve-settings';
import type { JsonRequest, JsonShape } from './output/json-output';
import { parseJsonFlag, renderJson } from './output/json-output';
import type { Progress } from './output/progress';
import { startProgress } from './output/progress';

export interface GlobalFlags {
  url?: string;
  token?: string;
  json?: string | boolean;
  jq?: string;
}

export interface CommandContext {
  io: CliIo;
  settings: Settings;
  /** Whether `--json` was given (bare or with fields). */
  json: boolean;
  /** A client with the configured token; fails with exit 3 when there is none. */
  client(): OvercastClient;
  /** A client without a token, for `login`, `version` and checking a token before it is saved. */
  anonymousClient(token?: string): OvercastClient;
  /** `--json` prints the value as JSON (its selected fields, filtered by `--jq`); otherwise the human rendering. */
  print(value: unknown, human: () => string, shape?: JsonShape): Promise<void>;
  /** Progress and hints go to stderr so stdout stays parseable. */
  note(text: string): void;
  /** A spinner on a terminal, plain lines otherwise (on stderr, so `--json` output stays clean). */
  progress(): Progress;
}

export function createCommandContext(command: Command, io: CliIo): CommandContext {
  const flags = command.optsWithGlobals<GlobalFlags>();
  const settings = resolveSettings(flags, io);
  const jsonRequest: JsonRequest | undefined = parseJsonFlag(flags.json, flags.jq);
  const build = (token: string | undefined) =>
    createClient({
      baseUrl: settings.url,
      ...(token === undefined ? {} : { token }),
      ...(io.fetch ? { fetch: io.fetch } : {}),
      ...io.clientOptions,
    });
  return {
    io,
    settings,
    json: jsonRequest !== undefined,
    client() {
      if (settings.token === undefined) {
        throw new MissingTokenError(
          'no API token: run `overcast auth login --with-token`, set OVERCAST_TOKEN or pass --token',
        );
      }
      return build(settings.token);
    },
    anonymousClient: (token) => build(token),
    async print(value, human, shape) {
      io.stdout(jsonRequest === undefined ? human() : await renderJson(value, jsonRequest, shape));
    },
    note(text) {
      io.stderr(`${text}\n`);
    },
    progress: () => startProgress((text) => io.stderr(text), io.stderrIsTerminal === true),
  };
}
