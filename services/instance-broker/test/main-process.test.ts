import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { instanceBrokerStatusRpc } from '@overcast/contracts';
import { createAmqpBus, deleteAmqpTopology, type Bus } from '@overcast/messaging';
import {
  createTestDatabase,
  describeWithServices,
  testAmqpUrl,
  uniqueName,
  waitFor,
  type TestDatabase,
} from '@overcast/test-kit';

const serviceRoot = join(__dirname, '..');

/** The deployable as operators run it: `tsx src/main.ts` with only environment variables. */
describeWithServices('the instance-broker process', () => {
  let testDatabase: TestDatabase;
  let child: ChildProcess | undefined;
  let client: Bus;
  let output = '';
  const namespace = uniqueName('broker-main');
  const dataDir = mkdtempSync(join(tmpdir(), 'broker-main-'));

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    client = createAmqpBus({ url: testAmqpUrl(), namespace });
    await client.start();
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await client?.stop();
    await testDatabase?.drop();
    await deleteAmqpTopology({
      url: testAmqpUrl(),
      namespace,
      queues: ['instance-broker'],
      services: ['instance-broker'],
    });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrates with its migrate entry point, then serves health and readiness, answers its status RPC, and exits 0 on SIGTERM', async () => {
    // As deployed: the migrate step (initContainer, compose job) first; start() never migrates.
    const migrated = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/migrate.ts'], {
      cwd: serviceRoot,
      env: { ...process.env, DATABASE_URL: testDatabase.url },
    });
    expect(migrated.stdout).toMatch(/^schema "instance_broker" is up to date \(\d+ applied, 0 already applied\)$/m);

    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: serviceRoot,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        DATABASE_URL: testDatabase.url,
        AMQP_URL: testAmqpUrl(),
        BUS_NAMESPACE: namespace,
        OVERCAST_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        PROVIDERS: 'local,fake',
        LOCAL_DATA_DIR: dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));

    const url = await waitFor(
      'the ops server to listen',
      () => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(output)?.[1],
      { timeoutMs: 30_000 },
    );
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await waitFor('readiness', async () => (await fetch(`${url}/readyz`)).status === 200);
    const status = await client.call(instanceBrokerStatusRpc, {});
    expect(status).toMatchObject({ service: 'instance-broker', ready: true, checks: { database: true, broker: true } });

    const exited = new Promise<number | null>((resolve) => child?.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
