import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '@overcast/test-kit';
import { gatewaySchema } from './support/gateway-harness';

const run = promisify(execFile);
const serviceRoot = path.resolve(__dirname, '..');

/** `src/migrate.ts` as the image's `migrate` entry point runs it (the initContainer, the compose job). */
describeWithPostgres('the migrate entry point', () => {
  let testDatabase: TestDatabase;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
  });

  afterAll(async () => {
    await testDatabase.drop();
  });

  const migrate = (env: Record<string, string>) =>
    run(process.execPath, ['--import', 'tsx', 'src/migrate.ts'], { cwd: serviceRoot, env: { ...process.env, ...env } });

  it('applies the pending migrations once, then finds none, and exits 0', async () => {
    const env = { DATABASE_URL: testDatabase.url, DATABASE_SCHEMA: gatewaySchema };
    expect((await migrate(env)).stdout).toBe(
      `applied 20261122000000_auth\nschema "${gatewaySchema}" is up to date (1 applied, 0 already applied)\n`,
    );
    expect((await migrate(env)).stdout).toBe(
      `schema "${gatewaySchema}" is up to date (0 applied, 1 already applied)\n`,
    );
  }, 60_000);

  it('refuses a bad environment naming the variable, exit code 1', async () => {
    await expect(migrate({ DATABASE_URL: 'not a url' })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('DATABASE_URL'),
    });
  }, 60_000);
});
