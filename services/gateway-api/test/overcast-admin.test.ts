import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { connectDatabase, type Database } from '@overcast/db';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '@overcast/test-kit';
import { authorization, gatewaySchema, startGateway } from './support/gateway-harness';

const run = promisify(execFile);
const bin = path.resolve(__dirname, '..', 'bin', 'overcast-admin.js');

describeWithPostgres('overcast-admin', () => {
  let testDatabase: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    // Deliberately not migrated: the command applies the migrations itself.
    testDatabase = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.close();
    await testDatabase.drop();
  });

  const admin = (...args: string[]) =>
    run(process.execPath, [bin, ...args], {
      env: { ...process.env, DATABASE_URL: testDatabase.url, DATABASE_SCHEMA: gatewaySchema },
    });

  it('creates a token in a fresh database, prints it once like cloudbrain-create-token, and the token works', async () => {
    const { stdout } = await admin('create-token', 'release bot', '--role', 'admin', '--tenant', 'acme');
    const token = /^generated token: (\d+-[0-9a-f]{32})\n$/.exec(stdout)?.[1];
    expect(token).toBeDefined();

    database = await connectDatabase({ url: testDatabase.url, schema: gatewaySchema });
    const gateway = await startGateway({ database });
    try {
      const response = await fetch(`${gateway.url}/tokens`, { headers: authorization(token ?? '') });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ tokens: [{ description: 'release bot', role: 'admin' }] });
    } finally {
      await gateway.stop();
    }

    const listed = await admin('list-tokens', '--tenant', 'acme');
    expect(listed.stdout).toMatch(/^\d+\tadmin\t\S+\trelease bot\n$/);
    const revoked = await admin('revoke-token', token?.split('-')[0] ?? '');
    expect(revoked.stdout).toBe(`revoked token ${token?.split('-')[0]}\n`);
    const live = await database.pool.query(
      `SELECT count(*)::int AS live FROM "${gatewaySchema}".api_tokens WHERE revoked_at IS NULL`,
    );
    expect(live.rows).toEqual([{ live: 0 }]);
  }, 120_000); // three command processes (the first migrates a fresh schema) and a gateway: 65 s at a load of 18

  it('refuses a usage mistake with the usage and exit code 2', async () => {
    await expect(admin('create-token', 'x', '--role', 'root')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--role must be admin or developer\nusage:/),
    });
  });
});
