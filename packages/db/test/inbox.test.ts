import { describeWithPostgres, waitFor } from '@overcast/test-kit';
import { ensurePlatformTables, runOnce, sqlExecutor } from '../src';
import { realPostgresTarget, uniqueSchema, type DatabaseTarget } from './support/targets';
import { inboxBehaviour } from './suites/inbox-behaviour';

describeWithPostgres('inbox on the real Postgres', () => {
  let target: DatabaseTarget;
  beforeAll(async () => {
    target = await realPostgresTarget();
  });
  afterAll(async () => {
    await target.close();
  });

  inboxBehaviour(() => target);

  it('makes a concurrent redelivery wait for the first one and then skip its effect', async () => {
    const database = await target.connect(uniqueSchema('inbox'));
    await ensurePlatformTables(database);
    const first = await database.pool.connect();
    const second = await database.pool.connect();
    await first.query('BEGIN');
    await second.query('BEGIN');
    expect(await runOnce(sqlExecutor(first, database.schema), 'c', 'm')).toBe(true);

    const secondOutcome = runOnce(sqlExecutor(second, database.schema), 'c', 'm');
    await waitFor('the second delivery to block on the first one’s row', async () => {
      const blocked = await database.pool.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%_overcast_inbox%'`,
      );
      return (blocked.rowCount ?? 0) > 0;
    });
    await first.query('COMMIT');

    expect(await secondOutcome).toBe(false);
    await second.query('COMMIT');
    first.release();
    second.release();
  });
});
