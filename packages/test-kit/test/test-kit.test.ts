import { Client } from 'pg';
import { createTestDatabase, describeWithPostgres, uniqueName, waitFor } from '../src';

describeWithPostgres('createTestDatabase', () => {
  it('creates an empty database of its own and drops it again', async () => {
    const database = await createTestDatabase();
    const client = new Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ name: string }>('SELECT current_database() AS name');
    await client.end();
    expect(rows[0]?.name).toBe(database.name);

    await database.drop();
    const again = new Client({ connectionString: database.url });
    await expect(again.connect()).rejects.toThrow(/does not exist/);
  });
});

describe('uniqueName', () => {
  it('never repeats, so concurrent test files do not share queues or tenants', () => {
    const names = new Set(Array.from({ length: 1000 }, () => uniqueName('t')));
    expect(names.size).toBe(1000);
  });
});

describe('waitFor', () => {
  it('resolves with the first value the check returns', async () => {
    let calls = 0;
    await expect(waitFor('the third call', () => (++calls >= 3 ? calls : undefined), { intervalMs: 1 })).resolves.toBe(
      3,
    );
  });

  it('names what it waited for when it gives up', async () => {
    await expect(waitFor('a state that never comes', () => false, { timeoutMs: 30, intervalMs: 5 })).rejects.toThrow(
      'timed out after 30 ms waiting for a state that never comes',
    );
  });
});
