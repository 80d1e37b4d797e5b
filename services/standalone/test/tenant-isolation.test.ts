import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '@overcast/service-kit';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '@overcast/test-kit';
import { parseStandaloneConfig } from '../src/config';
import { startStandalone, type Standalone } from '../src/standalone';
import { overcastAdmin, printedToken } from './support/overcast-admin';
import { runTenantTraffic, type TrafficTenant } from './support/tenant-traffic';

const logger = createLogger({ service: 'tenant-isolation-test', level: 'silent' });
// The fault PGlite had: 51 of 1,403 answers carried the other tenant's rows. Enough answers to see it again.
const requests = 5_000;

interface Target {
  /** Variables for the standalone and for overcast-admin alike. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

async function runIsolation(target: Target): Promise<void> {
  const config = parseStandaloneConfig({ ...target.env, PORT: '0', RATE_LIMIT_PER_TENANT: '1000000' });
  const standalone: Standalone = await startStandalone({ config, logger });
  try {
    const tenants: TrafficTenant[] = [{ name: 'default', token: standalone.adminToken }];
    for (const name of ['acme', 'globex']) {
      tenants.push({
        name,
        token: printedToken(
          await overcastAdmin(target.env, 'create-token', `${name} operator`, '--tenant', name, '--role', 'admin'),
        ),
      });
    }

    const report = await runTenantTraffic(standalone.url, tenants, { requests, concurrencyPerTenant: 8 });

    expect(report.leaks).toEqual([]);
    expect(report.failures).toEqual([]);
    expect(report.answers).toBeGreaterThanOrEqual(requests);
  } finally {
    await standalone.stop();
    await target.close();
  }
}

describe('tenants under concurrent mixed traffic never see each other', () => {
  it('on the embedded default', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'overcast-isolation-'));
    await runIsolation({
      env: { OVERCAST_DATA_DIR: dataDir },
      close: () => rm(dataDir, { recursive: true, force: true }),
    });
  }, 180_000);
});

describeWithPostgres('tenants under concurrent mixed traffic never see each other', () => {
  it("on the machine's Postgres", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'overcast-isolation-'));
    const database: TestDatabase = await createTestDatabase();
    await runIsolation({
      env: { OVERCAST_DATA_DIR: dataDir, DATABASE_URL: database.url },
      close: async () => {
        await database.drop();
        await rm(dataDir, { recursive: true, force: true });
      },
    });
  }, 180_000);
});
