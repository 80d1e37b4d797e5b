import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The AES-256-GCM key for secrets at rest on embedded defaults: made once, kept beside the data
 * (mode 0600), so a restart can still read what an earlier run encrypted. Production passes its own.
 */
export async function loadOrCreateSecretsKey(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'secrets.key');
  try {
    const key = (await readFile(file, 'utf8')).trim();
    if (/^[0-9a-f]{64}$/.test(key)) return key;
    throw new Error(`${file} is not 64 hex characters: delete it only if nothing encrypted with it must be read again`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32).toString('hex');
  await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
