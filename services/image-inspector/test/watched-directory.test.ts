import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCloudAccountRpc, listPowerEventsRpc } from '@overcast/contracts';
import { cloudTrailFile, gzippedCloudTrailFile, powerOff, runInstances } from './support/cloudtrail';
import { createImageInspectorEnvironment } from './support/image-inspector-environment';

let env: Awaited<ReturnType<typeof createImageInspectorEnvironment>>;
let watched: string;
const tenantId = 'tenant-watched';

beforeAll(async () => {
  watched = mkdtempSync(join(tmpdir(), 'watched-activity-logs-'));
  env = await createImageInspectorEnvironment({
    settings: { ACTIVITY_LOG_WATCH_DIR: watched, ACTIVITY_LOG_WATCH_INTERVAL_MS: '600000' },
  });
});
afterAll(async () => {
  await env?.close();
  rmSync(watched, { recursive: true, force: true });
});

const eventCount = async () => (await env.client.call(listPowerEventsRpc, { tenantId, limit: 1, offset: 0 })).count;

describe('the watched directory for local accounts', () => {
  it('ingests each dropped CloudTrail file once, moves it to .done, and sets bad ones aside with the reason', async () => {
    const account = await env.client.call(createCloudAccountRpc, { tenantId, type: 'local', name: 'watched' });
    const aws = await env.client.call(createCloudAccountRpc, { tenantId: 'tenant-watched-other', type: 'local' });
    const records = [
      runInstances('2026-12-01T00:00:00Z', 'i-watched', 'ami-watched'),
      powerOff('2026-12-01T05:00:00Z', 'i-watched'),
    ];
    const mine = join(watched, String(account.id));
    mkdirSync(mine);
    writeFileSync(join(mine, '2026-12-01T0000Z.json.gz'), gzippedCloudTrailFile(records));
    // The same records again under another name (a replayed delivery): nothing added, by eventID.
    writeFileSync(join(mine, '2026-12-01T0005Z.json'), cloudTrailFile(records));
    writeFileSync(join(mine, '2026-12-01T0010Z.json'), cloudTrailFile(records).subarray(0, 40));
    writeFileSync(join(mine, '.hidden'), 'not read');
    mkdirSync(join(watched, '999999'));
    writeFileSync(join(watched, '999999', 'orphan.json'), cloudTrailFile(records));

    expect(await env.service.ingestWatchedDirectoryNow()).toEqual({ ingested: 2, setAside: 2 });
    expect(await eventCount()).toBe(2);
    expect(readdirSync(mine).sort()).toEqual(['.done', '.hidden', '.rejected']);
    expect(readdirSync(join(mine, '.done')).sort()).toEqual(['2026-12-01T0000Z.json.gz', '2026-12-01T0005Z.json']);
    expect(readdirSync(join(mine, '.rejected')).sort()).toEqual([
      '2026-12-01T0010Z.json',
      '2026-12-01T0010Z.json.reason',
    ]);
    expect(readFileSync(join(mine, '.rejected', '2026-12-01T0010Z.json.reason'), 'utf8')).toMatch(/truncated/);
    expect(readFileSync(join(watched, '999999', '.rejected', 'orphan.json.reason'), 'utf8')).toBe(
      'no local account has id 999999\n',
    );

    // Nothing is read twice; a new file is.
    expect(await env.service.ingestWatchedDirectoryNow()).toEqual({ ingested: 0, setAside: 0 });
    writeFileSync(
      join(mine, '2026-12-02T0000Z.json'),
      cloudTrailFile([runInstances('2026-12-02T00:00:00Z', 'i-2', 'ami-watched')]),
    );
    expect(await env.service.ingestWatchedDirectoryNow()).toEqual({ ingested: 1, setAside: 0 });
    expect(await eventCount()).toBe(3);
    expect(existsSync(join(mine, '.done', '2026-12-02T0000Z.json'))).toBe(true);

    // Another tenant's account takes only its own directory's files.
    const theirs = join(watched, String(aws.id));
    mkdirSync(theirs);
    writeFileSync(join(theirs, 'a.json'), cloudTrailFile([runInstances('2026-12-03T00:00:00Z', 'i-3', 'ami-3')]));
    expect(await env.service.ingestWatchedDirectoryNow()).toEqual({ ingested: 1, setAside: 0 });
    expect(await eventCount()).toBe(3);
  });
});
