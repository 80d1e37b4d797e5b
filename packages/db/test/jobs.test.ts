import { describeWithPostgres } from '@overcast/test-kit';
import { createExclusiveJob, DatabaseOptionsError } from '../src';
import { realPostgresTarget, uniqueSchema, type DatabaseTarget } from './support/targets';
import { jobBehaviour } from './suites/job-behaviour';

describeWithPostgres('exclusive jobs on the real Postgres', () => {
  let target: DatabaseTarget;
  beforeAll(async () => {
    target = await realPostgresTarget();
  });
  afterAll(async () => {
    await target.close();
  });

  jobBehaviour(() => target);

  it('refuses to start before the platform tables exist, saying what to call', async () => {
    const database = await target.connect(uniqueSchema('bare'));
    const job = createExclusiveJob({ database, name: 'reap', intervalMs: 1000, run: async () => undefined });

    await expect(job.start()).rejects.toThrow(/has no platform tables; call applyMigrations/);
  });

  it('names a bad option', async () => {
    const database = await target.connect(uniqueSchema('bare'));
    const run = async () => undefined;
    expect(() => createExclusiveJob({ database, name: '', intervalMs: 1000, run })).toThrow(DatabaseOptionsError);
    expect(() => createExclusiveJob({ database, name: 'x', intervalMs: -1, run })).toThrow(
      /^intervalMs: must be a positive integer/,
    );
  });
});
