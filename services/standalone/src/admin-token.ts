import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { GatewayAdmin } from '@overcast/gateway-api';

/**
 * The first admin token, made on first start. Only its hash is in the database, so the token itself is
 * kept beside the data (mode 0600) and shown on every start: a local tool whose operator lost the first
 * output must not be locked out. Production uses `overcast-admin create-token` instead.
 */
export async function ensureAdminToken(
  admin: GatewayAdmin,
  dataDir: string,
): Promise<{ token: string; created: boolean }> {
  const file = path.join(dataDir, 'admin-token');
  const saved = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    () => null,
  );
  const active = await admin.listTokens();
  if (saved && active.some((token) => saved.startsWith(`${token.id}-`))) return { token: saved, created: false };
  const created = await admin.createToken({ description: 'first admin token (pnpm start)', role: 'admin' });
  await writeFile(file, `${created.token}\n`, { mode: 0o600 });
  return { token: created.token, created: true };
}
