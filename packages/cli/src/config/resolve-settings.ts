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

/** Each setting comes from the first of: flag, environment, config file (then a default for the URL). */
export function resolveSettings(flags: { url?: string; token?: string }, io: CliIo): Settings {
  const configPath = configFilePath(io.env, io.homeDirectory);
  const stored = readConfigFile(configPath);
  const url = pick(flags.url, io.env.OVERCAST_URL, stored.url) ?? { value: defaultUrl, source: 'default' as const };
  const token = pick(flags.token, io.env.OVERCAST_TOKEN, stored.token);
  let parsed: URL;
  try {
    parsed = new URL(url.value);
  } catch {
    throw new UsageError(`the API URL "${url.value}" (from ${url.source}) is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`the API URL "${url.value}" (from ${url.source}) must be http or https`);
  }
  return { url: url.value, token: token?.value, configPath, sources: { url: url.source, token: token?.source } };
}
