import { describeWithPostgres, waitFor } from '@overcast/test-kit';
import { connectDatabase, DatabaseOptionsError } from '../src';
import { realPostgresTarget, uniqueSchema, type DatabaseTarget } from './support/targets';

describeWithPostgres('connectDatabase on the real Postgres', () => {
  let target: DatabaseTarget;
  beforeAll(async () => {
    target = await realPostgresTarget();
  });
  afterAll(async () => {
    await target.close();
  });

  it('creates the service schema and puts every connection on it', async () => {
    const schema = uniqueSchema('svc');
    const database = await target.connect(schema);

    const clients = await Promise.all([database.pool.connect(), database.pool.connect()]);
    for (const client of clients) {
      expect((await client.query('SELECT current_schema() AS schema')).rows[0]).toEqual({ schema });
      client.release();
    }
  });

  it('lets replicas connect at once even while the schema does not exist yet', async () => {
    const schema = uniqueSchema('race');
    const replicas = await Promise.all(Array.from({ length: 4 }, () => target.connect(schema)));
    expect(replicas.map((replica) => replica.schema)).toEqual([schema, schema, schema, schema]);
  });

  it('accepts a Prisma-style ?schema= that agrees, and refuses one that does not', async () => {
    const schema = uniqueSchema('svc');
    const withParameter = `${target.url}?schema=${schema}`;
    const database = await connectDatabase({ url: withParameter, schema, maxConnections: 1 });
    await database.close();

    await expect(connectDatabase({ url: withParameter, schema: 'other' })).rejects.toThrow(
      `url: its ?schema=${schema} disagrees with schema "other"`,
    );
  });

  it('delivers NOTIFY to listeners and stops after unlisten', async () => {
    const database = await target.connect(uniqueSchema('svc'));
    const payloads: string[] = [];
    let sentinelSeen = false;
    const unlisten = await database.listen('test_channel', (payload) => payloads.push(payload));
    await database.listen('sentinel', () => (sentinelSeen = true));

    await database.pool.query(`SELECT pg_notify('test_channel', 'hello')`);
    await waitFor('the notification', () => payloads.length === 1);
    await unlisten();
    await database.pool.query(`SELECT pg_notify('test_channel', 'after')`);
    await database.pool.query(`SELECT pg_notify('sentinel', '')`);
    // One listener connection delivers in order: once the sentinel is in, 'after' would have been too.
    await waitFor('the sentinel', () => sentinelSeen);

    expect(payloads).toEqual(['hello']);
  });

  it('listens again after its listening connection was killed', async () => {
    const applicationName = `listener-${uniqueSchema('app')}`;
    const database = await target.connect(uniqueSchema('svc'), { applicationName });
    const payloads: string[] = [];
    await database.listen('test_channel', (payload) => payloads.push(payload));

    const killed = await database.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'`,
      [applicationName],
    );
    expect(killed.rowCount).toBe(1);

    await waitFor(
      'a notification on the new listening connection',
      async () => {
        await database.pool.query(`SELECT pg_notify('test_channel', 'again')`);
        return payloads.length > 0;
      },
      { intervalMs: 100 },
    );
  });

  it('reports an unreachable server without leaking the password', async () => {
    const attempt = connectDatabase({ url: 'postgres://app:s3cret@127.0.0.1:1/nowhere', schema: 'svc' });

    await expect(attempt).rejects.toThrow(/could not open database postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/nowhere/);
    await expect(attempt).rejects.not.toThrow(/s3cret/);
  });

  it.each([
    [{ url: 'mysql://localhost/x', schema: 'svc' }, /^url: must use postgres:\/\//],
    [{ url: 'not a url', schema: 'svc' }, /^url: is not a valid URL/],
    [{ url: 'postgres://localhost/x', schema: 'Has-Dash' }, /^schema: must be a lower-case identifier/],
    [{ url: 'postgres://localhost/x', schema: 'pg_catalog' }, /^schema: names starting with pg_ are reserved/],
    [
      { url: 'postgres://localhost/x', schema: 'svc', maxConnections: 0 },
      /^maxConnections: must be a positive integer/,
    ],
  ])('refuses bad options before connecting, naming the field (%o)', async (options, message) => {
    const attempt = connectDatabase(options);
    await expect(attempt).rejects.toBeInstanceOf(DatabaseOptionsError);
    await expect(attempt).rejects.toThrow(message);
  });
});
