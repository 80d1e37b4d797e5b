import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../cli-io';

export interface StoredConfig {
  url?: string;
  token?: string;
}

/** `OVERCAST_CONFIG`, else `~/.config/overcast/config.json`. */
export function configFilePath(env: Record<string, string | undefined>, homeDirectory: string): string {
  return env.OVERCAST_CONFIG || path.join(homeDirectory, '.config', 'overcast', 'config.json');
}

export function readConfigFile(filePath: string): StoredConfig {
  if (!existsSync(filePath)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(filePath, 'utf8'));
  } catch {
    throw new UsageError(`config file ${filePath} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`config file ${filePath} must hold a JSON object`);
  }
  const { url, token } = parsed as Record<string, unknown>;
  for (const [name, value] of Object.entries({ url, token })) {
    if (value !== undefined && typeof value !== 'string')
      throw new UsageError(`config file ${filePath}: "${name}" must be a string`);
  }
  return { ...(typeof url === 'string' ? { url } : {}), ...(typeof token === 'string' ? { token } : {}) };
}

/** Merges into the existing file; readable by the owner only, since it holds a token. */
export function updateConfigFile(filePath: string, changes: StoredConfig): void {
  const merged = { ...readConfigFile(filePath), ...changes };
  mkdirSync(path.dirname(filePath), { recursive: true, mode: 0o700 });
  writeFileSync(filePath, `${JSON.stringify(merged, null, 2)}\n`, { mode: 0o600 });
  chmodSync(filePath, 0o600);
}
