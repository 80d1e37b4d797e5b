import type { CliIo } from '../cli-io';
import { UsageError } from '../cli-io';
import { configFilePath, readConfigFile } from './config-file';

/** Where `pnpm start` serves the gateway. */
export const defaultUrl = 'http://127.0.0.1:8080';

export type SettingSource = 'flag' | 'env' | 'file' | 'default';

export interface Settings {
  url: string;
  token: string | undefined;
  configPath: string;
  sources: { url: SettingSource; token: SettingSource | undefined };
}

function pick(flag: string | undefined, env: string | undefined, file: string | undefined) {
  if (flag) return { value: flag, source: 'flag' as const };
  if (env) return { value: env, source: 'env' as const };
  if (file) return { value: file, source: 'file' as const };
  return undefined;
}

/** Refuses what is not an http(s) URL, naming where it came from. */
export function checkUrl(value: string, source: string): void {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new UsageError(`the API URL "${value}" (from ${source}) is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`the API URL "${value}" (from ${source}) must be http or https`);
  }
}

/**
 * Each setting comes from the first of: flag, environment (OVERCAST_URL, OVERCAST_TOKEN, as GH_TOKEN wins
 * over gh's hosts file), config file; then a default for the URL.
 */
export function resolveSettings(flags: { url?: string; token?: string }, io: CliIo): Settings {
  const configPath = configFilePath(io.env, io.homeDirectory);
  const stored = readConfigFile(configPath);
  const url = pick(flags.url, io.env.OVERCAST_URL, stored.url) ?? { value: defaultUrl, source: 'default' as const };
  const token = pick(flags.token, io.env.OVERCAST_TOKEN, stored.token);
  checkUrl(url.value, url.source);
  return { url: url.value, token: token?.value, configPath, sources: { url: url.source, token: token?.source } };
}

/** How `auth status` and `config list` name where a setting came from. */
export function describeSource(source: SettingSource | undefined, variable: string, configPath: string): string {
  switch (source) {
    case 'flag':
      return 'the command line';
    case 'env':
      return `the ${variable} environment variable`;
    case 'file':
      return configPath;
    case 'default':
      return 'the default';
    default:
      return 'nowhere';
  }
}
