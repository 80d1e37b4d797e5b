import { describeWithPostgres } from '@overcast/test-kit';
import { inTransaction } from '../src';
import { realPostgresTarget, uniqueSchema, type DatabaseTarget } from './support/targets';

describeWithPostgres('inTransaction on the real Postgres', () => {
  let target: DatabaseTarget;
  beforeAll(async () => {
    target = await realPostgresTarget();
  });
  afterAll(async () => {
    await target.close();
  });

  it('commits what the work wrote when it resolves and rolls all of it back when it throws', async () => {
    const database = await target.connect(uniqueSchema('tx'));
    await database.pool.query('CREATE TABLE notes (text text NOT NULL)');
    const written = await inTransaction(database.pool, async (client) => {
      await client.query("INSERT INTO notes VALUES ('kept')");
      return 'done';
    });
    expect(written).toBe('done');
    const failed = inTransaction(database.pool, async (client) => {
      await client.query("INSERT INTO notes VALUES ('lost')");
      throw new Error('the work failed');
    });
    await expect(failed).rejects.toThrow('the work failed');
    const notes = await database.pool.query<{ text: string }>('SELECT text FROM notes');
    expect(notes.rows).toEqual([{ text: 'kept' }]);
  });
});
