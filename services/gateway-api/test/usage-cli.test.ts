import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli } from '@overcast/cli';
import type { Database } from '@overcast/db';
import { describeWithServices, type TestDatabase } from '@overcast/test-kit';
import { createToken, openMigratedDatabase, startGateway, type RunningGateway } from './support/gateway-harness';
import { startRealImageInspector, type RealImageInspector } from './support/real-image-inspector';

const record = (eventID: string, eventName: string, eventTime: string, item: Record<string, string>) => ({
  eventID,
  eventTime,
  eventSource: 'ec2.amazonaws.com',
  eventName,
  awsRegion: 'us-east-1',
  userIdentity: { accountId: '123456789012' },
  responseElements: { instancesSet: { items: [item] } },
});

// `overcast accounts …` and `overcast usage …` through the SDK, the real gateway and the real image inspector.
describeWithServices('overcast accounts and usage', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let inspector: RealImageInspector;
  let gateway: RunningGateway;
  let home: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    ({ testDatabase, database } = await openMigratedDatabase());
    inspector = await startRealImageInspector(testDatabase.url);
    gateway = await startGateway({ database, bus: inspector.gatewayBus, env: { RPC_TIMEOUT_MS: '20000' } });
    home = mkdtempSync(path.join(tmpdir(), 'usage-cli-'));
    env = { OVERCAST_URL: gateway.url, OVERCAST_TOKEN: await createToken(database, 'developer', 'usage-cli') };
  });
  afterAll(async () => {
    await gateway?.stop();
    await inspector?.stop();
    await database?.close();
    await testDatabase?.drop();
    rmSync(home, { recursive: true, force: true });
  });

  async function overcast(args: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      env,
      homeDirectory: home,
    });
    return { code, stdout, stderr };
  }

  it('creates and renames an account, uploads its CloudTrail file twice, challenges its image and reports a day', async () => {
    const created = await overcast(['accounts', 'create', '--name', 'lab', '--json']);
    expect(created.code).toBe(0);
    const { id } = JSON.parse(created.stdout) as { id: number };
    expect((await overcast(['accounts', 'rename', String(id), 'lab-2'])).stdout).toMatch(/LocalAccount\s+lab-2/);
    expect((await overcast(['accounts', 'list'])).stdout).toMatch(/^ID\s+TYPE\s+NAME/);

    const file = path.join(home, 'trail.json.gz');
    writeFileSync(
      file,
      gzipSync(
        JSON.stringify({
          Records: [
            record('e-1', 'RunInstances', '2018-01-01T00:00:00Z', { instanceId: 'i-cli', imageId: 'ami-cli' }),
            record('e-2', 'StopInstances', '2018-01-01T05:00:00Z', { instanceId: 'i-cli' }),
          ],
        }),
      ),
    );
    const first = await overcast(['accounts', 'upload-logs', String(id), file]);
    expect(first.stdout).toMatch(/trail\.json\.gz\s+2\s+2\s+2/);
    const again = await overcast(['accounts', 'upload-logs', String(id), file, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ files: [{ events_added: 0 }] });

    const images = JSON.parse((await overcast(['usage', 'images', 'list', '--json'])).stdout) as {
      results: { id: number }[];
    };
    const imageId = String(images.results[0]?.id);
    expect((await overcast(['usage', 'images', 'challenge', imageId, '--rhel', 'true'])).stdout).toMatch(
      /ami-cli\s+pending\s+true \(challenged\)\s+false/,
    );

    const window = ['--start', '2018-01-01T00:00:00Z', '--end', '2018-01-02T00:00:00Z', '--account', String(id)];
    const table = await overcast(['usage', 'report', ...window]);
    expect(table.stdout).toMatch(/^DATE\s+RHEL INSTANCES\s+RHEL HOURS/);
    expect(table.stdout).toMatch(/2018-01-01\s+1\s+5\s+0\s+0\n/);
    expect(table.stdout).toMatch(/TOTAL\s+1 seen\s+5\s+0 seen\s+0\n$/);
    const csv = await overcast(['usage', 'report', ...window, '--format', 'csv']);
    expect(csv.stdout).toBe(
      'date,rhel_instances,rhel_runtime_seconds,openshift_instances,openshift_runtime_seconds\n2018-01-01T00:00:00.000Z,1,18000,0,0\n',
    );
    const json = await overcast(['usage', 'report', ...window, '--format', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ instances_seen_with_rhel: 1 });
    expect((await overcast(['usage', 'report', '--start', '2018-01-01T00:00:00Z'])).code).toBe(2);
  });
});
