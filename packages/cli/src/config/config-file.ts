import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument, stringify } from 'yaml';

/**
 * The one module that knows the config file's place and format, used by the CLI and by `pnpm start` (which
 * saves its URL and first token here). YAML, where gh-like tools keep theirs, readable by the owner only since
 * it holds a token.
 */
export interface StoredConfig {
  url?: string;
  token?: string;
}

export const configKeys = ['url', 'token'] as const;
export type ConfigKey = (typeof configKeys)[number];

/** A config file that cannot be used as it is; the CLI reports it as a usage error. */
export class ConfigFileError extends Error {
  override name = 'ConfigFileError';
}

/** `$OVERCAST_CONFIG_DIR/config.yml`, else `$XDG_CONFIG_HOME/overcast/config.yml`, else `~/.config/overcast/config.yml`. */
export function configFilePath(env: Record<string, string | undefined>, homeDirectory: string): string {
  const directory =
    env.OVERCAST_CONFIG_DIR || path.join(env.XDG_CONFIG_HOME || path.join(homeDirectory, '.config'), 'overcast');
  return path.join(directory, 'config.yml');
}

/** A config file is a few lines; anything larger is not one (and is not parsed). */
const maxConfigBytes = 64 * 1024;

export function readConfigFile(filePath: string): StoredConfig {
  if (!existsSync(filePath)) return {};
  const text = readFileSync(filePath, 'utf8');
  if (text.length > maxConfigBytes) throw new ConfigFileError(`config file ${filePath} is larger than 64 KiB`);
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    throw new ConfigFileError(`config file ${filePath} is not valid YAML: ${document.errors[0]?.message ?? ''}`);
  }
  // No aliases: a config file has no use for them, and refusing them rules out alias bombs.
  const parsed: unknown = document.toJS({ maxAliasCount: 0 }) ?? {};
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigFileError(`config file ${filePath} must hold a mapping of keys to values`);
  }
  const stored: StoredConfig = {};
  for (const key of configKeys) {
    const value = (parsed as Record<string, unknown>)[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw new ConfigFileError(`config file ${filePath}: "${key}" must be a string`);
    stored[key] = value;
  }
  return stored;
}

/** Sets the keys given (undefined removes one) and keeps the rest; written whole, then renamed into place. */
export function updateConfigFile(filePath: string, changes: Partial<Record<ConfigKey, string | undefined>>): void {
  const merged: Record<string, string | undefined> = { ...readConfigFile(filePath), ...changes };
  const kept = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
  mkdirSync(path.dirname(filePath), { recursive: true, mode: 0o700 });
  const temporary = `${filePath}.${process.pid}.tmp`;
  writeFileSync(temporary, `# overcast CLI settings (overcast config list)\n${stringify(kept)}`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, filePath);
}

/** What `saveServerLogin` did: saved, or kept the file's login to a server elsewhere (`keptUrl`). */
export type ServerLoginOutcome =
  { filePath: string; saved: true } | { filePath: string; saved: false; keptUrl: string };

/** A server on this machine: what a previous `pnpm start` saved, which the next one may replace. */
function isOnThisMachine(url: string): boolean {
  const hostname = URL.canParse(url) ? new URL(url).hostname : '';
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * For `pnpm start`: the URL and token of the server it just started, so the next `overcast` command just works.
 * A login to a server elsewhere (made with `overcast auth login`) is never replaced by a local trial run: the file is
 * then left as it is.
 */
export function saveServerLogin(
  login: { url: string; token: string },
  env: Record<string, string | undefined>,
  homeDirectory: string,
): ServerLoginOutcome {
  const filePath = configFilePath(env, homeDirectory);
  const current = readConfigFile(filePath).url;
  if (current !== undefined && current !== login.url && !isOnThisMachine(current)) {
    return { filePath, saved: false, keptUrl: current };
  }
  updateConfigFile(filePath, { url: login.url, token: login.token });
  return { filePath, saved: true };
}
