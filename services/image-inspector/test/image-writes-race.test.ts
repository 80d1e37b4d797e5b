import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  challengeMachineImageRpc,
  createCloudAccountRpc,
  getMachineImageRpc,
  ingestActivityLogRpc,
  listMachineImagesRpc,
  openImageInspectionRpc,
  type MachineImage,
} from '@overcast/contracts';
import { buildTar, prepareRootfs } from '@overcast/disk-inspector/testing';
import { waitFor } from '@overcast/test-kit';
import { cloudTrailFile, openshiftTag, runInstances } from './support/cloudtrail';
import { createImageInspectorEnvironment } from './support/image-inspector-environment';

type Environment = Awaited<ReturnType<typeof createImageInspectorEnvironment>>;
let env: Environment;
let work: string;
let rhelTar: Buffer;
let accountId: number;
const tenantId = 'tenant-image-races';
const rounds = 16;

beforeAll(async () => {
  env = await createImageInspectorEnvironment({ settings: { INSPECTION_UPLOAD_PORT: '0' } });
  work = mkdtempSync(join(tmpdir(), 'image-races-'));
  buildTar(prepareRootfs('rhel9'), join(work, 'rhel9.tar'));
  rhelTar = readFileSync(join(work, 'rhel9.tar'));
  accountId = (await env.client.call(createCloudAccountRpc, { tenantId, type: 'local' })).id;
}, 60_000);
afterAll(async () => {
  await env?.close();
  rmSync(work, { recursive: true, force: true });
});

async function ingest(records: unknown[]): Promise<void> {
  const contentBase64 = cloudTrailFile(records).toString('base64');
  await env.client.call(ingestActivityLogRpc, { tenantId, accountId, contentBase64 });
}

async function newImage(cloudImageId: string): Promise<number> {
  await ingest([runInstances('2026-12-01T00:00:00Z', `i-${cloudImageId}`, cloudImageId)]);
  const page = await env.client.call(listMachineImagesRpc, { tenantId, limit: 100, offset: 0 });
  return page.results.find((image) => image.cloudImageId === cloudImageId)!.id;
}

/**
 * An upload whose first half is sent at once and whose rest waits for `finish`: the inspector has read the image
 * (taken the ticket, looked the image up) and is reading the disk while the test's other writes go in.
 */
async function startUpload(id: number) {
  const { uploadUrl, token } = await env.client.call(openImageInspectionRpc, { tenantId, id });
  const half = Math.floor(rhelTar.length / 2);
  const upload = request(uploadUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-length': String(rhelTar.length) },
  });
  const answered = new Promise<{ status: number; body: MachineImage }>((resolve, reject) => {
    upload.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as MachineImage;
        resolve({ status: response.statusCode ?? 0, body });
      });
      response.on('error', reject);
    });
    upload.on('error', reject);
  });
  upload.write(rhelTar.subarray(0, half));
  await waitFor(`the upload of image ${id} to take its ticket`, async () => {
    const { rows } = await env.database.pool.query<{ count: string }>(
      'SELECT count(*) FROM image_inspector.inspection_uploads WHERE image_id = $1',
      [id],
    );
    return rows[0]?.count === '0';
  });
  return {
    answered,
    finish: () => {
      upload.end(rhelTar.subarray(half));
      return answered;
    },
  };
}

const challenge = (id: number, change: { rhelChallenged?: boolean; openshiftChallenged?: boolean }) =>
  env.client.call(challengeMachineImageRpc, { tenantId, id, ...change });

/** Detected XOR challenged, as cloudigrade derives it, for the row the answer shows. */
function expectConsistent(image: MachineImage): void {
  const rhelDetected =
    image.rhelEnabledReposFound ||
    image.rhelProductCertsFound ||
    image.rhelReleaseFilesFound ||
    image.rhelSignedPackagesFound;
  expect(image.rhelDetected).toBe(rhelDetected);
  expect(image.rhel).toBe(rhelDetected !== image.rhelChallenged);
  expect(image.openshift).toBe(image.openshiftDetected !== image.openshiftChallenged);
}

describe("concurrent writes of an image's product fields", () => {
  it('keeps every challenge, inspection result and OpenShift tag, and answers each with the row it wrote', async () => {
    for (let round = 0; round < rounds; round += 1) {
      const id = await newImage(`ami-race-${round}`);
      const upload = await startUpload(id);
      // Even rounds: the inspection's result is written after the other writes (read → tag → result); odd rounds:
      // all at once, in whatever order Postgres takes them.
      const resultFirst = round % 2 === 1;
      const inspected = resultFirst ? upload.finish() : upload.answered;
      const [, rhelOn, rhelOff, openshiftOn] = await Promise.all([
        ingest([openshiftTag(`2026-12-02T00:00:${String(round).padStart(2, '0')}Z`, `ami-race-${round}`, true)]),
        challenge(id, { rhelChallenged: true }),
        challenge(id, { rhelChallenged: false }),
        challenge(id, { openshiftChallenged: true }),
      ]);
      const { status, body } = await (resultFirst ? inspected : upload.finish());

      // Each answer is the row its own write left: its own challenge, and rhel/openshift derived from that row.
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'inspected', rhelDetected: true });
      expect(rhelOn.rhelChallenged).toBe(true);
      expect(rhelOff.rhelChallenged).toBe(false);
      expect(openshiftOn.openshiftChallenged).toBe(true);
      for (const answer of [body, rhelOn, rhelOff, openshiftOn]) expectConsistent(answer);

      // No write lost: the inspection's verdicts, the tag that came while the disk was read, each challenge.
      const final = await env.client.call(getMachineImageRpc, { tenantId, id });
      expect({ round, ...final }).toMatchObject({
        round,
        status: 'inspected',
        rhelDetected: true,
        openshiftDetected: true,
        openshiftChallenged: true,
        openshift: false,
      });
      expect([rhelOn.rhelChallenged, rhelOff.rhelChallenged]).toContain(final.rhelChallenged);
      expectConsistent(final);
    }
  }, 120_000);
});
