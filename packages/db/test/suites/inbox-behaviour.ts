import {
  ensurePlatformTables,
  pruneInbox,
  runOnce,
  sqlExecutor,
  type Database,
  type PrismaTransactionLike,
} from '../../src';
import { uniqueSchema, type DatabaseTarget } from '../support/targets';

async function freshService(target: DatabaseTarget): Promise<Database> {
  const database = await target.connect(uniqueSchema('inbox'));
  await ensurePlatformTables(database);
  await database.pool.query(`CREATE TABLE "${database.schema}".effects (message_id TEXT NOT NULL)`);
  return database;
}

/** A consumer's handler: inbox row and effect in one transaction, as services write them. */
async function handle(
  database: Database,
  messageId: string,
  { consumer = 'test-consumer', fail = false } = {},
): Promise<boolean> {
  const client = await database.pool.connect();
  try {
    await client.query('BEGIN');
    const first = await runOnce(sqlExecutor(client, database.schema), consumer, messageId);
    if (first) await client.query(`INSERT INTO "${database.schema}".effects VALUES ($1)`, [messageId]);
    if (fail) throw new Error('handler failed after its effect');
    await client.query('COMMIT');
    return first;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

async function effects(database: Database): Promise<string[]> {
  const result = await database.pool.query<{ message_id: string }>(
    `SELECT message_id FROM "${database.schema}".effects`,
  );
  return result.rows.map((row) => row.message_id);
}

/** Inbox behaviour every target must show (the machine's Postgres and the embedded one alike). */
export function inboxBehaviour(target: () => DatabaseTarget): void {
  it('has its effect once when the same message is delivered twice', async () => {
    const database = await freshService(target());

    expect(await handle(database, 'message-1')).toBe(true);
    expect(await handle(database, 'message-1')).toBe(false);

    expect(await effects(database)).toEqual(['message-1']);
  });

  it('has its effect once when the same message is delivered many times at once', async () => {
    const database = await freshService(target());

    const outcomes = await Promise.all(Array.from({ length: 8 }, () => handle(database, 'message-1')));

    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await effects(database)).toEqual(['message-1']);
  });

  it('processes a redelivery when the first attempt rolled back', async () => {
    const database = await freshService(target());

    await expect(handle(database, 'message-1', { fail: true })).rejects.toThrow('handler failed after its effect');
    expect(await effects(database)).toEqual([]);

    expect(await handle(database, 'message-1')).toBe(true);
    expect(await effects(database)).toEqual(['message-1']);
  });

  it('tracks each consumer separately: two consumers of one event both handle it', async () => {
    const database = await freshService(target());

    expect(await handle(database, 'message-1', { consumer: 'billing' })).toBe(true);
    expect(await handle(database, 'message-1', { consumer: 'audit' })).toBe(true);
    expect(await handle(database, 'message-1', { consumer: 'audit' })).toBe(false);
  });

  it('works inside a Prisma-style interactive transaction client', async () => {
    const database = await freshService(target());
    const client = await database.pool.connect();
    const prismaLikeTransaction: PrismaTransactionLike = {
      $executeRawUnsafe: async (sql, ...values) => (await client.query(sql, values)).rowCount ?? 0,
    };
    await client.query('BEGIN');

    expect(await runOnce(sqlExecutor(prismaLikeTransaction, database.schema), 'c', 'm')).toBe(true);
    expect(await runOnce(sqlExecutor(prismaLikeTransaction, database.schema), 'c', 'm')).toBe(false);
    await client.query('COMMIT');
    client.release();
  });

  it('forgets entries older than the retention window when pruned', async () => {
    const database = await freshService(target());
    await handle(database, 'old');
    await handle(database, 'recent');
    await database.pool.query(
      `UPDATE "${database.schema}"._overcast_inbox SET processed_at = now() - interval '8 days' WHERE message_id = 'old'`,
    );

    expect(await pruneInbox(database, { olderThanMs: 7 * 24 * 3600 * 1000 })).toBe(1);
    expect(await handle(database, 'old')).toBe(true);
    expect(await handle(database, 'recent')).toBe(false);
  });
}
