import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createCloudAccountRpc,
  ingestActivityLogRpc,
  instanceStateChangedEvent,
  listMachineImagesRpc,
  listPowerEventsRpc,
  openImageInspectionRpc,
  type MachineImage,
} from '@overcast/contracts';
import { buildTar, prepareRootfs } from '@overcast/disk-inspector/testing';
import { waitFor } from '@overcast/test-kit';
import type { ImageSource } from '../src/domain/inspection/inspection-ports';
import { triageVerdict, type TriageContext } from '../src/domain/inspection/triage-images';
import { parseImageInspectorSettings } from '../src/config';
import { createImageInspectorService } from '../src/service';
import { cloudTrailFile, runInstances } from './support/cloudtrail';
import { createImageInspectorEnvironment } from './support/image-inspector-environment';

type Environment = Awaited<ReturnType<typeof createImageInspectorEnvironment>>;
let env: Environment;
let work: string;
let catalog: Record<string, Record<string, string>>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'image-triage-'));
  buildTar(prepareRootfs('centos7'), join(work, 'centos7.tar'));
  buildTar(prepareRootfs('rhel9'), join(work, 'rhel9.tar'));
  // The broker's local catalog: one image names its disk (relative to the file), one none, one a file not there.
  catalog = {
    'rhel-local': { description: 'RHEL 9', disk: 'rhel9.tar' },
    'debian-local': { shell: '/bin/sh' },
    'gone-local': { disk: join(work, 'gone.raw') },
  };
  writeFileSync(join(work, 'images.json'), JSON.stringify(catalog));
  // No AWS here: the AWS inspection job's side of the triage is aws-inspection.test.ts's.
  env = await createImageInspectorEnvironment({
    settings: { INSPECTION_UPLOAD_PORT: '0', LOCAL_IMAGES_FILE: join(work, 'images.json') },
  });
  // The triage job's first pass runs once it takes its lease, which under load came after a test's images were
  // seen and triaged them before the test looked. Past it, the next pass is IMAGE_TRIAGE_INTERVAL_MS (10 min) away.
  await waitFor('the image triage job’s first pass', async () => {
    const { rows } = await env.database.pool.query<{ finished: boolean }>(
      `SELECT last_finished_at IS NOT NULL AS finished FROM ${env.database.schema}._overcast_job_leases WHERE name = $1`,
      ['image-inspector.image-triage'],
    );
    return rows[0]?.finished === true;
  });
}, 60_000);
afterAll(async () => {
  await env?.close();
  rmSync(work, { recursive: true, force: true });
});

async function imagesOf(tenantId: string): Promise<Record<string, MachineImage>> {
  const page = await env.client.call(listMachineImagesRpc, { tenantId, limit: 100, offset: 0 });
  return Object.fromEntries(page.results.map((image) => [image.cloudImageId, image]));
}

/** A broker instance of `provider` booting `image` and running: one power event under the tenant's account for it. */
async function brokerRuns(tenantId: string, provider: string, image: string): Promise<void> {
  await env.client.publish(instanceStateChangedEvent, {
    id: randomUUID(),
    provider,
    upstreamId: `${provider}-1`,
    instanceBuildId: null,
    tenantId,
    ipAddress: null,
    errorReason: null,
    image,
    from: 'starting',
    to: 'running',
  });
}

describe('images no job can read', () => {
  it("are marked needs_upload with the reason, per provider of the broker's instances", async () => {
    const tenantId = 'tenant-triage-broker';
    const providers = { local: 'debian-local', fake: 'fake-image', gce: 'debian-12', aws: 'ami-broker' };
    for (const [provider, image] of Object.entries(providers)) await brokerRuns(tenantId, provider, image);
    await waitFor('four power events', async () => {
      const page = await env.client.call(listPowerEventsRpc, { tenantId, limit: 10, offset: 0 });
      return page.count === 4;
    });
    // Seen, not looked at yet.
    expect(Object.values(await imagesOf(tenantId)).map((image) => [image.status, image.statusReason])).toEqual(
      Array(4).fill(['pending', null]),
    );

    expect(await env.service.triageImagesNow()).toBeGreaterThanOrEqual(4);
    const images = await imagesOf(tenantId);
    const reasonOf = (cloudImageId: string) => {
      const image = images[cloudImageId]!;
      expect(image.status).toBe('needs_upload');
      expect(image.statusReason).toContain(
        `upload a disk image or rootfs tar to POST /api/v1/image/${image.id}/inspection`,
      );
      return image.statusReason;
    };
    expect(reasonOf('debian-local')).toMatch(/^the local catalog names no disk image or rootfs tar for "debian-local"/);
    expect(reasonOf('fake-image')).toMatch(/^the fake provider's images have no disk to read/);
    expect(reasonOf('debian-12')).toMatch(/^GCE images are not read/);
    expect(reasonOf('ami-broker')).toMatch(/^an AMI Overcast booted is read only when .* registered AWS account/);
    // Triaged once: a second pass has nothing to do.
    expect(await env.service.triageImagesNow()).toBe(0);
  });

  it('are read at once when the local catalog names their disk', async () => {
    const tenantId = 'tenant-triage-catalog';
    await brokerRuns(tenantId, 'local', 'rhel-local');
    await brokerRuns(tenantId, 'local', 'gone-local');
    await waitFor('two power events', async () => {
      const page = await env.client.call(listPowerEventsRpc, { tenantId, limit: 10, offset: 0 });
      return page.count === 2;
    });
    await env.service.triageImagesNow();
    const images = await imagesOf(tenantId);
    expect(images['rhel-local']).toMatchObject({
      status: 'inspected',
      statusReason: null,
      rhel: true,
      rhelReleaseFilesFound: true,
      inspection: {
        source: 'catalog',
        rhel: {
          checks: {
            releaseFiles: {
              evidence: expect.arrayContaining([expect.objectContaining({ path: '/etc/redhat-release' })]),
            },
          },
        },
      },
    });
    expect(images['gone-local']).toMatchObject({ status: 'error', inspection: { source: 'catalog' } });
    expect(images['gone-local']!.inspection!.errors.join(' ')).toContain('gone.raw');
  });

  it('find their accounts from events stamped well before the image, and say so of an image no instance ran', async () => {
    const tenantId = 'tenant-triage-old-events';
    await brokerRuns(tenantId, 'fake', 'fake-late');
    await waitFor('a power event', async () => {
      const page = await env.client.call(listPowerEventsRpc, { tenantId, limit: 10, offset: 0 });
      return page.count === 1;
    });
    // The image looks made an hour after its event (another writer's clock): the recent events do not have it.
    await env.database.pool.query(
      `UPDATE image_inspector.machine_images SET created_at = created_at + interval '1 hour' WHERE tenant_id = $1`,
      [tenantId],
    );
    await env.database.pool.query(
      `INSERT INTO image_inspector.machine_images (tenant_id, cloud_image_id, updated_at) VALUES ($1, 'ami-unrun', now())`,
      [tenantId],
    );
    await env.service.triageImagesNow();
    const images = await imagesOf(tenantId);
    expect(images['fake-late']).toMatchObject({
      status: 'needs_upload',
      statusReason: expect.stringMatching(/^the fake provider's images have no disk to read/),
    });
    expect(images['ami-unrun']).toMatchObject({
      status: 'needs_upload',
      statusReason: expect.stringMatching(/^no tracked instance ran it: upload/),
    });
  });

  it("of a local account's activity log need an upload, and the upload inspects them", async () => {
    const tenantId = 'tenant-triage-local';
    const account = await env.client.call(createCloudAccountRpc, { tenantId, type: 'local' });
    await env.client.call(ingestActivityLogRpc, {
      tenantId,
      accountId: account.id,
      contentBase64: cloudTrailFile([runInstances('2026-12-01T00:00:00Z', 'i-local', 'ami-local')]).toString('base64'),
    });
    await env.service.triageImagesNow();
    const image = (await imagesOf(tenantId))['ami-local']!;
    expect(image).toMatchObject({
      status: 'needs_upload',
      statusReason: expect.stringMatching(/^a local account's images are known from its activity logs only: upload/),
    });

    const { uploadUrl, token } = await env.client.call(openImageInspectionRpc, { tenantId, id: image.id });
    const response = await fetch(uploadUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body: readFileSync(join(work, 'centos7.tar')),
    });
    expect(response.status).toBe(200);
    expect((await imagesOf(tenantId))['ami-local']).toMatchObject({
      status: 'inspected',
      statusReason: null,
      inspection: { source: 'upload' },
    });
  });
});

describe('images waiting for what has changed', () => {
  const powerEvents = (tenantId: string, count: number) =>
    waitFor(`${count} power event(s)`, async () => {
      const page = await env.client.call(listPowerEventsRpc, { tenantId, limit: 10, offset: 0 });
      return page.count === count;
    });

  it('are read once the local catalog names their disk, and left alone while the catalog stays as it was', async () => {
    const tenantId = 'tenant-triage-catalog-later';
    await brokerRuns(tenantId, 'local', 'later-local');
    await powerEvents(tenantId, 1);
    await env.service.triageImagesNow();
    const waiting = (await imagesOf(tenantId))['later-local']!;
    expect(waiting).toMatchObject({
      status: 'needs_upload',
      statusReason: expect.stringMatching(/^the local catalog names no disk image or rootfs tar for "later-local"/),
    });
    // Nothing changed: not looked at again.
    expect(await env.service.triageImagesNow()).toBe(0);
    expect((await imagesOf(tenantId))['later-local']).toEqual(waiting);

    // The operator gives it a disk in the catalog: the next pass reads it.
    catalog = { ...catalog, 'later-local': { disk: 'rhel9.tar' } };
    writeFileSync(join(work, 'images.json'), JSON.stringify(catalog));
    expect(await env.service.triageImagesNow()).toBeGreaterThanOrEqual(1);
    expect((await imagesOf(tenantId))['later-local']).toMatchObject({
      status: 'inspected',
      statusReason: null,
      rhel: true,
      inspection: { source: 'catalog' },
    });
  });

  it('left for the AWS job are triaged again by an image inspector that runs no such job', async () => {
    const tenantId = 'tenant-triage-aws-gone';
    await brokerRuns(tenantId, 'aws', 'ami-left-for-aws');
    await powerEvents(tenantId, 1);
    // As an image inspector with the AWS job configured left it.
    const left = 'waiting for the AWS inspection job to read its root snapshot';
    await env.database.pool.query(
      `UPDATE image_inspector.machine_images SET status = 'pending', status_reason = $2 WHERE tenant_id = $1`,
      [tenantId, left],
    );
    // This process's first pass is behind it: the setting has not changed since.
    await env.service.triageImagesNow();
    expect((await imagesOf(tenantId))['ami-left-for-aws']).toMatchObject({ status: 'pending', statusReason: left });

    // Started again without AWS (the same database): its first pass says what the image needs now.
    const restarted = createImageInspectorService({
      settings: parseImageInspectorSettings({ LOCAL_IMAGES_FILE: join(work, 'images.json') }),
      database: env.database,
      bus: env.client,
      logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    try {
      expect(await restarted.triageImagesNow()).toBeGreaterThanOrEqual(1);
    } finally {
      await restarted.stop();
    }
    expect((await imagesOf(tenantId))['ami-left-for-aws']).toMatchObject({
      status: 'needs_upload',
      statusReason: expect.stringMatching(/^an AMI Overcast booted is read only when .* registered AWS account/),
    });
  });
});

describe('the triage verdict', () => {
  const aws = { accountType: 'aws', provider: null, hasRole: true };
  const local = { accountType: 'local', provider: null, hasRole: false };
  const fake = { accountType: 'overcast', provider: 'fake', hasRole: false };

  const broker = { accountType: 'overcast', provider: 'local', hasRole: false };
  const withAws: TriageContext = { awsInspection: true, localDisks: new Map([['ami-7', '/disks/7.raw']]) };
  const verdict = (sources: ImageSource[], context = withAws) =>
    triageVerdict({ id: 7, cloudImageId: 'ami-7', sources }, context);

  it('leaves an image a registered AWS account ran to the AWS job, where that job runs', () => {
    expect(verdict([local, broker, aws])).toEqual({
      status: 'pending',
      reason: 'waiting for the AWS inspection job to read its root snapshot',
    });
    expect(verdict([aws], { ...withAws, awsInspection: false })).toMatchObject({
      status: 'needs_upload',
      reason: expect.stringMatching(/^this image inspector reads no AWS snapshots/),
    });
  });

  it("reads the local catalog's disk only for an image the local provider booted", () => {
    expect(verdict([local, broker])).toEqual({ status: 'inspect', disk: '/disks/7.raw' });
    expect(verdict([local])).toMatchObject({ status: 'needs_upload' });
    // A catalog that cannot be read leaves its images for the next pass, and no other image waits for it.
    expect(verdict([local, broker], { ...withAws, localDisks: null })).toBeNull();
    expect(verdict([fake], { ...withAws, localDisks: null })).toMatchObject({ status: 'needs_upload' });
  });

  it('gives one reason whatever order the accounts come in, and one for an image no instance ran', () => {
    expect(verdict([fake, local])).toEqual(verdict([local, fake]));
    expect(verdict([])).toMatchObject({ reason: expect.stringMatching(/^no tracked instance ran it: upload/) });
  });
});
