import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@overcast/cli';
import type { Database } from '@overcast/db';
import { buildExt4, buildPartitionedDisk, buildTar, prepareRootfs } from '@overcast/disk-inspector/testing';
import { describeWithServices, type TestDatabase } from '@overcast/test-kit';
import { createToken, openMigratedDatabase, startGateway, type RunningGateway } from './support/gateway-harness';
import { startRealImageInspector, type RealImageInspector } from './support/real-image-inspector';
import { postExpectingContinue } from './support/expect-continue';
import { postLargeUpload, zeros } from './support/large-upload';
import { specCheckedFetch } from './support/spec-conformance';

const runInstances = (imageId: string) => ({
  eventID: randomUUID(),
  eventTime: '2026-12-01T00:00:00Z',
  eventSource: 'ec2.amazonaws.com',
  eventName: 'RunInstances',
  awsRegion: 'us-east-1',
  userIdentity: { accountId: '123456789012' },
  responseElements: { instancesSet: { items: [{ instanceId: `i-${imageId}`, imageId }] } },
});

// POST /api/v1/image/{id}/inspection through the real gateway: a ticket over RabbitMQ, the disk streamed to the real
// image inspector's upload endpoint, the verdicts and their provenance back in cloudigrade's shape.
describeWithServices('image inspection uploads through the gateway', () => {
  const { fetch, problems } = specCheckedFetch();
  let testDatabase: TestDatabase;
  let database: Database;
  let inspector: RealImageInspector;
  let gateway: RunningGateway;
  let mine: Record<string, string>;
  let theirs: Record<string, string>;
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'gateway-inspection-'));
    buildExt4(prepareRootfs('rhel9'), join(work, 'rhel9.ext4'), 24);
    buildPartitionedDisk(join(work, 'rhel9.ext4'), join(work, 'rhel9.raw'), 'gpt');
    buildTar(prepareRootfs('centos7'), join(work, 'centos7.tar'));
    ({ testDatabase, database } = await openMigratedDatabase());
    inspector = await startRealImageInspector(testDatabase.url, {
      settings: { INSPECTION_UPLOAD_MAX_BYTES: String(48 * 1024 * 1024) },
    });
    gateway = await startGateway({ database, bus: inspector.gatewayBus, env: { RPC_TIMEOUT_MS: '20000' } });
    mine = { authorization: `Token ${await createToken(database, 'developer', 'inspect-mine')}` };
    theirs = { authorization: `Token ${await createToken(database, 'developer', 'inspect-theirs')}` };
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await inspector?.stop();
    await database?.close();
    await testDatabase?.drop();
    rmSync(work, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const bytes = body instanceof Uint8Array;
    const response = await fetch(`${gateway.url}${path}`, {
      method,
      headers: { ...headers, 'content-type': bytes ? 'application/octet-stream' : 'application/json' },
      body: body === undefined ? undefined : bytes ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  async function pendingImage(headers: Record<string, string>, imageId: string): Promise<number> {
    const account = await call('POST', '/api/v1/account/', headers, { resourcetype: 'LocalAccount', name: imageId });
    const file = Buffer.from(JSON.stringify({ Records: [runInstances(imageId)] }));
    await call('POST', `/api/v1/account/${account.body.id as number}/activity-logs`, headers, new Uint8Array(file));
    const images = await call('GET', '/api/v1/image/?limit=100', headers);
    const image = (images.body.results as { id: number; ec2_ami_id: string }[]).find((i) => i.ec2_ami_id === imageId);
    return image!.id;
  }

  it('inspects a RHEL disk and a CentOS rootfs tar, with each check and where it was found', async () => {
    const rhel = await pendingImage(mine, 'ami-gw-rhel9');
    const inspected = await call(
      'POST',
      `/api/v1/image/${rhel}/inspection`,
      mine,
      readFileSync(join(work, 'rhel9.raw')),
    );
    expect(inspected).toMatchObject({
      status: 200,
      body: {
        id: rhel,
        status: 'inspected',
        rhel: true,
        rhel_detected: true,
        rhel_signed_packages_found: true,
        inspection: {
          source: 'upload',
          rhel: {
            version: '9.4',
            checks: {
              signed_packages: {
                found: true,
                evidence: [expect.objectContaining({ partition: 'p2', path: '/var/lib/rpm/rpmdb.sqlite' })],
              },
              product_certificates: { found: true },
            },
          },
          errors: [],
        },
      },
    });
    expect((await call('GET', `/api/v1/image/${rhel}/`, mine)).body).toEqual(inspected.body);

    const centos = await pendingImage(mine, 'ami-gw-centos7');
    const tar = readFileSync(join(work, 'centos7.tar'));
    expect(await call('POST', `/api/v1/image/${centos}/inspection`, mine, tar)).toMatchObject({
      status: 200,
      body: { status: 'inspected', rhel: false, rhel_detected: false, inspection: { rhel: { detected: false } } },
    });
  });

  it("answers 404 for another tenant's image, 413 past the operator's limit, 422 for what is no disk", async () => {
    const image = await pendingImage(mine, 'ami-gw-limits');
    const tar = readFileSync(join(work, 'centos7.tar'));
    expect(await call('POST', `/api/v1/image/${image}/inspection`, theirs, tar)).toMatchObject({
      status: 404,
      body: { detail: 'Not found.' },
    });
    const tooLarge = await call(
      'POST',
      `/api/v1/image/${image}/inspection`,
      mine,
      new Uint8Array(48 * 1024 * 1024 + 1),
    );
    expect(tooLarge).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    const garbage = await call(
      'POST',
      `/api/v1/image/${image}/inspection`,
      mine,
      new Uint8Array(2 * 1024 * 1024).fill(7),
    );
    expect(garbage).toMatchObject({ status: 422, body: { error: { code: 'unprocessable' } } });
    expect((await call('GET', `/api/v1/image/${image}/`, mine)).body).toMatchObject({ status: 'error' });
  });

  // A client answered before its upload is read (another tenant's image, a declared length over the limit, a body
  // the image inspector stopped reading) reads the answer, and the gateway reads only a bounded part of the rest.
  it('answers a 1 GiB upload refused before its body is read, then closes after a bounded part of it', async () => {
    const image = await pendingImage(mine, 'ami-gw-large');
    const gib = 1024 * 1024 * 1024;
    const url = `${gateway.url}/api/v1/image/${image}/inspection`;
    const bounded = 64 * 1024 * 1024;

    const notFound = await postLargeUpload(url, theirs, { bytes: gib, declareLength: true });
    expect(notFound).toMatchObject({ status: 404, headers: { connection: 'close' } });
    expect(JSON.parse(notFound.body)).toMatchObject({ detail: 'Not found.' });
    expect(notFound.sentBytes).toBeLessThan(bounded);

    const chunked = await postLargeUpload(url, theirs, { bytes: gib, declareLength: false });
    expect(chunked).toMatchObject({ status: 404, headers: { connection: 'close' } });
    expect(chunked.sentBytes).toBeLessThan(bounded);

    const declaredTooLarge = await postLargeUpload(url, mine, { bytes: gib, declareLength: true });
    expect(declaredTooLarge).toMatchObject({ status: 413, headers: { connection: 'close' } });
    expect(JSON.parse(declaredTooLarge.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(declaredTooLarge.sentBytes).toBeLessThan(bounded);

    // Undeclared, it is the image inspector that stops reading past its 48 MiB: the answer still reaches the client.
    const streamedTooLarge = await postLargeUpload(url, mine, { bytes: gib, declareLength: false });
    expect(streamedTooLarge).toMatchObject({ status: 413, headers: { connection: 'close' } });
    expect(streamedTooLarge.sentBytes).toBeLessThan(48 * 1024 * 1024 + bounded);

    // fetch (undici), writing the body as a stream, reads the same answer.
    const body = zeros(gib);
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...theirs, 'content-type': 'application/octet-stream' },
      body: body.stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ detail: 'Not found.' });

    // The gateway still answers on a new connection, and an upload it reads whole is still answered as before.
    expect((await call('GET', `/api/v1/image/${image}/`, mine)).status).toBe(200);
  }, 60_000);

  // curl sends Expect: 100-continue with a large body: a refusal must come before the client sends a byte of it.
  it('answers Expect: 100-continue only once the caller may upload there, and a refusal with no body sent', async () => {
    const image = await pendingImage(mine, 'ami-gw-continue');
    const tar = readFileSync(join(work, 'centos7.tar'));
    const account = (await call('POST', '/api/v1/account/', mine, { resourcetype: 'LocalAccount', name: 'continue' }))
      .body.id as number;
    const file = Buffer.from(JSON.stringify({ Records: [runInstances('ami-gw-continue-log')] }));
    const uploads = [
      { path: (id: number) => `/api/v1/image/${id}/inspection`, id: image, body: tar },
      { path: (id: number) => `/api/v1/account/${id}/activity-logs`, id: account, body: file },
    ];
    for (const { path, id, body } of uploads) {
      // Another tenant's, an id that names nothing, no credentials: the final answer, no 100 Continue, no body read.
      const refusals = [
        { headers: theirs, at: path(id), status: 404 },
        { headers: mine, at: path(2_000_000_000), status: 404 },
        { headers: {}, at: path(id), status: 401 },
      ];
      for (const { headers, at, status } of refusals) {
        const refused = await postExpectingContinue(gateway.url, at, headers, body);
        expect({ at, ...refused }).toMatchObject({ at, interim: null, status, headers: { connection: 'close' } });
      }
      const taken = await postExpectingContinue(gateway.url, path(id), mine, body);
      expect({ at: path(id), ...taken }).toMatchObject({ interim: 'HTTP/1.1 100 Continue', status: 200 });
    }
    expect((await call('GET', `/api/v1/image/${image}/`, mine)).body).toMatchObject({ status: 'inspected' });
    const images = await call('GET', '/api/v1/image/?limit=100', mine);
    // Any other route's client is told to send its body once authenticated, before the body is parsed.
    const json = Buffer.from(JSON.stringify({ resourcetype: 'LocalAccount', name: 'continue-json' }));
    expect(await postExpectingContinue(gateway.url, '/api/v1/account/', mine, json)).toMatchObject({
      interim: 'HTTP/1.1 100 Continue',
      status: 201,
    });
    expect(images.body.results).toContainEqual(expect.objectContaining({ ec2_ami_id: 'ami-gw-continue-log' }));
  });

  it('shows an image no job can read as needs_upload with the reason, in the API and overcast usage images list', async () => {
    const image = await pendingImage(mine, 'ami-gw-triage');
    expect((await call('GET', `/api/v1/image/${image}/`, mine)).body).toMatchObject({
      status: 'pending',
      status_reason: null,
    });
    await inspector.service.triageImagesNow();
    const reason = `a local account's images are known from its activity logs only: upload a disk image or rootfs tar to POST /api/v1/image/${image}/inspection to inspect it`;
    expect((await call('GET', `/api/v1/image/${image}/`, mine)).body).toMatchObject({
      status: 'needs_upload',
      status_reason: reason,
    });
    const listed = await call('GET', '/api/v1/image/?limit=100', mine);
    expect(listed.body.results).toContainEqual(expect.objectContaining({ id: image, status: 'needs_upload' }));

    let stdout = '';
    const code = await runCli(['usage', 'images', 'list'], {
      stdout: (text) => (stdout += text),
      stderr: () => undefined,
      env: { OVERCAST_URL: gateway.url, OVERCAST_TOKEN: mine.authorization!.replace('Token ', '') },
      homeDirectory: work,
    });
    expect(code).toBe(0);
    const row = stdout.split('\n').find((line) => line.includes('ami-gw-triage'));
    expect(row).toMatch(/ami-gw-triage\s+needs_upload\s+false\s+false\s+a local account's images are known/);
  });

  it('overcast images inspect <id> --file sends the disk with its progress and prints each check', async () => {
    const image = await pendingImage(mine, 'ami-gw-cli');
    let stdout = '';
    let stderr = '';
    const overcast = (args: string[]) =>
      runCli(args, {
        stdout: (text) => (stdout += text),
        stderr: (text) => (stderr += text),
        env: { OVERCAST_URL: gateway.url, OVERCAST_TOKEN: mine.authorization!.replace('Token ', '') },
        homeDirectory: work,
      });
    expect(await overcast(['images', 'inspect', String(image), '--file', join(work, 'rhel9.raw')])).toBe(0);
    expect(stderr).toContain('sending');
    expect(stderr).toMatch(/100% of \d+\.\d MiB/);
    expect(stdout).toMatch(/status\s+inspected/);
    expect(stdout).toMatch(/signed packages\s+yes\s+p2:\/var\/lib\/rpm\/rpmdb\.sqlite/);
    stdout = '';
    expect(await overcast(['images', 'inspect', 'x', '--file', join(work, 'rhel9.raw')])).not.toBe(0);
    // The offline form still reads a file on this machine with no server.
    expect(await overcast(['images', 'inspect', join(work, 'centos7.tar'), '--json'])).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'inspected', rhel: { detected: false } });
  });

  it('answered every request as the spec documents it', () => {
    expect(problems).toEqual([]);
  });
});
