import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { DbLogger } from '../logger';
import { handOver, type ServerUser } from './postgres-user';

const run = promisify(execFile);
const credentialsFileName = 'overcast-credentials.json';

/** The superuser the embedded server was initialised with; its password lives only in the data directory. */
export interface ClusterCredentials {
  user: string;
  password: string;
}

/** The credentials of an initialised cluster, or null when `dataDir` holds none yet. */
export async function readCredentials(dataDir: string): Promise<ClusterCredentials | null> {
  const text = await readFile(join(dataDir, credentialsFileName), 'utf8').catch(() => null);
  return text === null ? null : (JSON.parse(text) as ClusterCredentials);
}

/**
 * initdb into a sibling directory, then renames it into place: a crash mid-way leaves no half-made cluster at
 * `dataDir`, only a temporary directory the next start removes. Password authentication (scram-sha-256), so
 * other users of the machine cannot reach the data through the loopback port.
 */
export async function initialiseCluster(
  initdb: string,
  dataDir: string,
  user: ServerUser,
  logger: DbLogger,
): Promise<ClusterCredentials> {
  const credentials: ClusterCredentials = { user: 'postgres', password: randomBytes(24).toString('hex') };
  const staging = `${dataDir}.initialising`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { mode: 0o700 });
  const opened = await handOver(staging, user);
  if (opened.length > 0)
    logger.warn(
      { directories: opened },
      'gave the postgres user search permission (o+x) on these directories so it can reach the embedded database',
    );
  const secrets = await mkdtemp(join(tmpdir(), 'overcast-initdb-'));
  const passwordFile = join(secrets, 'password');
  try {
    await writeFile(passwordFile, `${credentials.password}\n`, { mode: 0o600 });
    if (user.uid !== undefined && user.gid !== undefined) {
      await chown(secrets, user.uid, user.gid);
      await chown(passwordFile, user.uid, user.gid);
    }
    await run(
      initdb,
      [
        `--pgdata=${staging}`,
        `--username=${credentials.user}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-instructions',
      ],
      { ...user, env: { ...process.env, LC_ALL: 'C' } },
    ).catch((error: { stderr?: string; message: string }) => {
      throw new Error(`initdb failed: ${error.stderr?.trim() || error.message}`);
    });
  } finally {
    await rm(secrets, { recursive: true, force: true });
  }
  await writeFile(join(staging, credentialsFileName), JSON.stringify(credentials), { mode: 0o600 });
  await mkdir(dirname(dataDir), { recursive: true });
  await rename(staging, dataDir);
  return credentials;
}
