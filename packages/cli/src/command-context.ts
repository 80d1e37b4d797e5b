import type { Command } from 'commander';
import type { OvercastClient } from '@overcast/sdk';
import { createClient } from '@overcast/sdk';
import type { CliIo } from './cli-io';
import { MissingTokenError } from './cli-io';
import type { Settings } from './config/resolve-settings';
import { resolveSettings } from './config/resolve-settings';

export interface GlobalFlags {
  url?: string;
  token?: string;
  json?: boolean;
}

export interface CommandContext {
  io: CliIo;
  settings: Settings;
  json: boolean;
  /** A client with the configured token; fails with exit 3 when there is none. */
  client(): OvercastClient;
  /** A client without a token, for `login`. */
  anonymousClient(): OvercastClient;
  /** `--json` prints the value as JSON; otherwise the human rendering. */
  print(value: unknown, human: () => string): void;
  /** Progress and hints go to stderr so stdout stays parseable. */
  note(text: string): void;
}

export function createCommandContext(command: Command, io: CliIo): CommandContext {
  const flags = command.optsWithGlobals<GlobalFlags>();
  const settings = resolveSettings(flags, io);
  const json = flags.json === true;
  const build = (token: string | undefined) =>
    createClient({
      baseUrl: settings.url,
      ...(token === undefined ? {} : { token }),
      ...(io.fetch ? { fetch: io.fetch } : {}),
    });
  return {
    io,
    settings,
    json,
    client() {
      if (settings.token === undefined) {
        throw new MissingTokenError('no API token: run `overcast login`, set OVERCAST_TOKEN or pass --token');
      }
      return build(settings.token);
    },
    anonymousClient: () => build(undefined),
    print(value, human) {
      io.stdout(json ? `${JSON.stringify(value, null, 2)}\n` : human());
    },
    note(text) {
      io.stderr(`${text}\n`);
    },
  };
}
