import type { PoolClient } from 'pg';
import type { Database } from '../connect-database';

/**
 * The key `prisma migrate deploy` locks too, so our runner and Prisma's never migrate at the same time.
 * It is database-wide: services sharing a database migrate one after another, which costs little.
 */
export const prismaMigrationLockKey = 72707369;

/**
 * Runs `work` holding the session-level migration lock on one dedicated connection. Replicas starting
 * together queue here; the lock dies with the connection, so a crashed migrator never leaves it held.
 */
export async function withMigrationLock<T>(
  database: Database,
  work: (client: PoolClient) => Promise<T>,
  { timeoutMs = 120_000 }: { timeoutMs?: number } = {},
): Promise<T> {
  const client = await database.pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
    try {
      await client.query('SELECT pg_advisory_lock($1)', [prismaMigrationLockKey]);
    } catch (error) {
      throw new Error(
        `could not take the migration lock within ${timeoutMs} ms: another migrator holds it (${(error as Error).message})`,
        { cause: error },
      );
    } finally {
      await client.query('RESET lock_timeout');
    }
    try {
      return await work(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [prismaMigrationLockKey]);
    }
  } catch (error) {
    broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // A connection that failed mid-way may still hold the lock or a half-open transaction: discard it.
    client.release(broken);
  }
}
