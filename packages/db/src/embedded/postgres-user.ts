import { execFile } from 'node:child_process';
import { chmod, chown, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const serverUserName = 'postgres';

/** Whom the server runs as: nobody else when we are not root; as root, the `postgres` user (Postgres refuses root). */
export interface ServerUser {
  uid?: number;
  gid?: number;
}

async function idOf(flag: '-u' | '-g'): Promise<number> {
  const { stdout } = await run('id', [flag, serverUserName]);
  return Number.parseInt(stdout, 10);
}

/** As root: the `postgres` user, created (as a system user) when the machine has none. */
export async function serverUser(): Promise<ServerUser> {
  if (process.getuid?.() !== 0) return {};
  try {
    return { uid: await idOf('-u'), gid: await idOf('-g') };
  } catch {
    await run('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      serverUserName,
    ]).catch((error: unknown) => {
      throw new Error(
        `Postgres cannot run as root and there is no "${serverUserName}" user; creating one failed: ${(error as Error).message}`,
      );
    });
    return { uid: await idOf('-u'), gid: await idOf('-g') };
  }
}

/**
 * Gives the server user a directory of its own, and search permission (o+x: enter, not list) on each ancestor it
 * cannot enter, e.g. /root for a checkout there: files inside keep their own modes. Postgres refuses to run as
 * root, so as root this is the price of keeping the data under Overcast's directory. Returns the directories
 * whose mode changed, for the log.
 */
export async function handOver(directory: string, user: ServerUser): Promise<string[]> {
  if (user.uid === undefined || user.gid === undefined) return [];
  await chown(directory, user.uid, user.gid);
  const opened: string[] = [];
  for (let ancestor = dirname(directory); ; ancestor = dirname(ancestor)) {
    const { mode, uid } = await stat(ancestor);
    if (uid !== user.uid && (mode & 0o001) === 0) {
      await chmod(ancestor, (mode & 0o7777) | 0o001);
      opened.push(ancestor);
    }
    if (ancestor === dirname(ancestor)) return opened;
  }
}
