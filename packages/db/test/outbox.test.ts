import { describeWithPostgres } from '@overcast/test-kit';
import { realPostgresTarget, type DatabaseTarget } from './support/targets';
import { outboxBehaviour } from './suites/outbox-behaviour';

describeWithPostgres('outbox on the real Postgres', () => {
  let target: DatabaseTarget;
  beforeAll(async () => {
    target = await realPostgresTarget();
  });
  afterAll(async () => {
    await target.close();
  });

  outboxBehaviour(() => target);
});
