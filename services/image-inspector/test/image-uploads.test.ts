import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createCloudAccountRpc,
  getMachineImageRpc,
  ingestActivityLogRpc,
  listMachineImagesRpc,
  openImageInspectionRpc,
} from '@overcast/contracts';
import { buildExt4, buildPartitionedDisk, buildTar, buildXfs, prepareRootfs } from '@overcast/disk-inspector/testing';
import { cloudTrailFile, openshiftTag, runInstances } from './support/cloudtrail';
import { createImageInspectorEnvironment } from './support/image-inspector-environment';

type Environment = Awaited<ReturnType<typeof createImageInspectorEnvironment>>;
let env: Environment;
let work: string;
const tenantId = 'tenant-uploads';

beforeAll(async () => {
  env = await createImageInspectorEnvironment({
    settings: { INSPECTION_UPLOAD_PORT: '0', INSPECTION_UPLOAD_MAX_BYTES: String(80 * 1024 * 1024) },
  });
  work = mkdtempSync(join(tmpdir(), 'image-uploads-'));
  buildExt4(prepareRootfs('rhel9'), join(work, 'rhel9.ext4'), 24);
  buildPartitionedDisk(join(work, 'rhel9.ext4'), join(work, 'rhel9-ext4.raw'), 'gpt');
  buildXfs(prepareRootfs('rhel7'), join(work, 'rhel7.xfs'));
  buildPartitionedDisk(join(work, 'rhel7.xfs'), join(work, 'rhel7-xfs.raw'), 'dos');
  buildTar(prepareRootfs('ubuntu'), join(work, 'ubuntu.tar.gz'), true);
}, 60_000);
afterAll(async () => {
  await env?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Images a local account's instances ran, as its CloudTrail file names them (pending until inspected). */
async function imagesOf(tenant: string, ...cloudImageIds: string[]): Promise<number[]> {
  const account = await env.client.call(createCloudAccountRpc, { tenantId: tenant, type: 'local' });
  const file = cloudTrailFile(
    cloudImageIds.map((imageId, index) => runInstances('2026-12-01T00:00:00Z', `i-${tenant}-${index}`, imageId)),
  );
  await env.client.call(ingestActivityLogRpc, {
    tenantId: tenant,
    accountId: account.id,
    contentBase64: file.toString('base64'),
  });
  const page = await env.client.call(listMachineImagesRpc, { tenantId: tenant, limit: 100, offset: 0 });
  return cloudImageIds.map((cloudImageId) => page.results.find((image) => image.cloudImageId === cloudImageId)!.id);
}

/** A body that never ends, sent without a length: the client stops writing only when the server closes. */
function endlessZeros(): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(1024 * 1024);
  return new ReadableStream({ pull: (controller) => controller.enqueue(chunk) });
}

/** The gateway's half: a ticket over the bus, then the body streamed to the upload endpoint with it. */
async function upload(
  tenant: string,
  id: number,
  body: Uint8Array | ReadableStream<Uint8Array>,
  ticket?: { uploadUrl: string; token: string },
) {
  const { uploadUrl, token } = ticket ?? (await env.client.call(openImageInspectionRpc, { tenantId: tenant, id }));
  const response = await fetch(uploadUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: body,
    duplex: 'half',
  } as RequestInit);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('inspecting an image from its uploaded disk', () => {
  it('finds RHEL 9 on ext4 in a GPT disk and keeps each check with where it was found', async () => {
    const [id] = await imagesOf(tenantId, 'ami-rhel9');
    const before = await env.client.call(getMachineImageRpc, { tenantId, id: id! });
    expect(before).toMatchObject({ status: 'pending', rhelDetected: false, inspection: null });

    const answered = await upload(tenantId, id!, readFileSync(join(work, 'rhel9-ext4.raw')));
    expect(answered.status).toBe(200);
    const image = await env.client.call(getMachineImageRpc, { tenantId, id: id! });
    expect(answered.body).toEqual(image);
    expect(image).toMatchObject({
      status: 'inspected',
      rhelDetected: true,
      rhel: true,
      rhelReleaseFilesFound: true,
      rhelProductCertsFound: true,
      rhelEnabledReposFound: true,
      rhelSignedPackagesFound: true,
      openshiftDetected: false,
    });
    expect(image.inspection).toMatchObject({
      source: 'upload',
      errors: [],
      rhel: {
        detected: true,
        version: '9.4',
        checks: {
          releaseFiles: {
            found: true,
            evidence: expect.arrayContaining([
              { partition: 'p2', path: '/etc/redhat-release', detail: 'Red Hat Enterprise Linux release 9.4 (Plow)' },
            ]),
          },
          productCertificates: {
            found: true,
            evidence: [expect.objectContaining({ path: '/etc/pki/product-default/479.pem' })],
          },
          enabledRepos: { found: true, evidence: [expect.objectContaining({ path: '/etc/yum.repos.d/redhat.repo' })] },
          signedPackages: { found: true, evidence: [expect.objectContaining({ path: '/var/lib/rpm/rpmdb.sqlite' })] },
        },
      },
    });
  });

  it('reads RHEL 7 on XFS in an MBR disk, a gzipped Ubuntu rootfs tar, and an OpenShift-tagged image', async () => {
    const [rhel7, ubuntu] = await imagesOf(tenantId, 'ami-rhel7', 'ami-ubuntu');
    expect((await upload(tenantId, rhel7!, readFileSync(join(work, 'rhel7-xfs.raw')))).body).toMatchObject({
      status: 'inspected',
      rhelDetected: true,
      inspection: {
        rhel: { checks: { signedPackages: { evidence: [expect.objectContaining({ partition: 'p2' })] } } },
      },
    });
    const account = await env.client.call(createCloudAccountRpc, { tenantId, type: 'local', name: 'tagged' });
    await env.client.call(ingestActivityLogRpc, {
      tenantId,
      accountId: account.id,
      contentBase64: cloudTrailFile([openshiftTag('2026-12-01T01:00:00Z', 'ami-ubuntu', true)]).toString('base64'),
    });
    expect((await upload(tenantId, ubuntu!, readFileSync(join(work, 'ubuntu.tar.gz')))).body).toMatchObject({
      status: 'inspected',
      rhelDetected: false,
      openshiftDetected: true,
      openshift: true,
      inspection: {
        rhel: { detected: false },
        openshift: { detected: true, checks: { tag: { found: true, evidence: [{ partition: 'metadata' }] } } },
      },
    });
  });

  it("refuses another tenant's image before a byte is read, and a ticket twice", async () => {
    const [id] = await imagesOf('tenant-uploads-other', 'ami-theirs');
    await expect(env.client.call(openImageInspectionRpc, { tenantId, id: id! })).rejects.toMatchObject({
      code: 'not_found',
    });
    const ticket = await env.client.call(openImageInspectionRpc, { tenantId: 'tenant-uploads-other', id: id! });
    const tar = readFileSync(join(work, 'ubuntu.tar.gz'));
    expect((await upload('tenant-uploads-other', id!, tar, ticket)).status).toBe(200);
    const again = await upload('tenant-uploads-other', id!, tar, ticket);
    expect(again).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
  });

  it('refuses a disk too large with 413 and an unreadable one with 422, recording only the unreadable', async () => {
    const [large, garbage] = await imagesOf(tenantId, 'ami-large', 'ami-garbage');
    const tooLarge = await upload(tenantId, large!, new Uint8Array(80 * 1024 * 1024 + 1));
    expect(tooLarge).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    // Streamed with no length, as the gateway forwards a chunked upload: the endpoint stops reading past the limit
    // and answers while the client is still writing, then reads on a bounded part (closeIfBodyUnread), so the
    // client reads the 413 instead of a reset. Each try takes a ticket of its own.
    for (let attempt = 0; attempt < 3; attempt++) {
      const streamed = await upload(tenantId, large!, endlessZeros());
      expect(streamed).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    }
    expect(await env.client.call(getMachineImageRpc, { tenantId, id: large! })).toMatchObject({
      status: 'pending',
      inspection: null,
    });

    const unreadable = await upload(tenantId, garbage!, Buffer.alloc(4 * 1024 * 1024, 'not a disk '));
    expect(unreadable).toMatchObject({
      status: 422,
      body: {
        error: {
          code: 'unprocessable',
          details: expect.arrayContaining([{ path: 'body', message: expect.any(String) }]),
        },
      },
    });
    expect(await env.client.call(getMachineImageRpc, { tenantId, id: garbage! })).toMatchObject({
      status: 'error',
      rhelDetected: false,
      inspection: { source: 'upload', errors: expect.arrayContaining([expect.stringMatching(/no partition holds/)]) },
    });
  });
});
