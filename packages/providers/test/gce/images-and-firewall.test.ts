import type { ComputeProvider } from '../../src';
import { createGceComputeProvider } from '../../src';
import type { ComputeApi } from '../support/compute-api-server';
import { computeError, startComputeApi } from '../support/compute-api-server';
import { base, imageBody, project, zone } from '../support/compute-api-fixtures';

const imagesPath = '/compute/v1/projects/overcast-images/global/images';

describe('gce findNewestImage and ensureSshSecurityGroup over the real REST transport', () => {
  let api: ComputeApi;
  let provider: ComputeProvider;

  beforeAll(async () => {
    api = await startComputeApi();
    provider = createGceComputeProvider({
      projectId: project,
      zone,
      imageProjectId: 'overcast-images',
      network: 'builds',
      sshIngressCidr: '198.51.100.0/24',
      clientOptions: api.clientOptions(),
    });
  });
  beforeEach(() => api.reset());
  afterAll(async () => {
    await provider.close?.();
    await api.close();
  });

  it('takes the newest image of the family named like the role', async () => {
    api.reply('GET', `${imagesPath}/family/worker`, imageBody('worker-1762000000', '2026-11-01T12:00:00.000-07:00'));

    const image = await provider.findNewestImage('worker');

    expect(api.calls()).toEqual([`GET ${imagesPath}/family/worker`]);
    expect(image).toEqual({
      id: 'projects/overcast-images/global/images/worker-1762000000',
      name: 'worker-1762000000',
      createdAt: new Date('2026-11-01T19:00:00.000Z'),
    });
  });

  it('falls back to the newest usable image whose name starts with the role', async () => {
    api.reply(
      'GET',
      `${imagesPath}/family/web`,
      computeError(404, 'notFound', "The resource 'family/web' was not found"),
    );
    api.reply('GET', imagesPath, {
      kind: 'compute#imageList',
      items: [
        imageBody('web-a', '2026-10-01T00:00:00.000-07:00'),
        imageBody('web-b', '2026-10-20T00:00:00.000-07:00'),
        imageBody('web-c', '2026-10-30T00:00:00.000-07:00', { deprecated: { state: 'OBSOLETE' } }),
        imageBody('web-d', '2026-10-31T00:00:00.000-07:00', { status: 'PENDING' }),
      ],
    });

    const image = await provider.findNewestImage('web');

    expect(api.requests[1]?.query).toEqual({ filter: "name eq 'web.*'" });
    expect(image?.name).toBe('web-b');
  });

  it('answers null when neither a family nor a name matches', async () => {
    api.reply('GET', `${imagesPath}/family/db`, computeError(404, 'notFound', 'not found'));
    api.reply('GET', imagesPath, { kind: 'compute#imageList' });

    expect(await provider.findNewestImage('db')).toBeNull();
  });

  it('creates a firewall rule opening TCP 22 to instances tagged with its name', async () => {
    api.reply('POST', `${base}/global/firewalls`, {
      kind: 'compute#operation',
      name: 'operation-fw-1',
      status: 'RUNNING',
    });

    await expect(provider.ensureSshSecurityGroup('overcast-build-7')).resolves.toBe('overcast-build-7');

    expect(api.calls()).toEqual([`POST ${base}/global/firewalls`]);
    expect(api.requests[0]?.body).toEqual({
      name: 'overcast-build-7',
      description: 'Overcast instance builds: inbound SSH',
      network: 'global/networks/builds',
      direction: 'INGRESS',
      allowed: [{ IPProtocol: 'tcp', ports: ['22'] }],
      sourceRanges: ['198.51.100.0/24'],
      targetTags: ['overcast-build-7'],
    });
  });

  it('adopts a firewall rule an earlier try created', async () => {
    api.reply(
      'POST',
      `${base}/global/firewalls`,
      computeError(409, 'alreadyExists', "The resource 'overcast-build-7' already exists"),
    );

    await expect(provider.ensureSshSecurityGroup('overcast-build-7')).resolves.toBe('overcast-build-7');
  });

  it('refuses a name GCE would reject, without calling it', async () => {
    await expect(provider.ensureSshSecurityGroup('Bad_Name')).rejects.toMatchObject({
      retryable: false,
      code: 'INVALID_NAME',
    });
    expect(api.calls()).toEqual([]);
  });
});
