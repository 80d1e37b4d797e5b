import type { ComputeProvider } from '../../src';
import { createGceComputeProvider, ProviderError } from '../../src';
import type { ComputeApi } from '../support/compute-api-server';
import { computeError, startComputeApi, testAccessToken } from '../support/compute-api-server';
import {
  base,
  imageBody,
  instanceBody,
  instancePath,
  operationBody,
  operationName,
  overcastId,
  project,
  zone,
  zoneBase,
} from '../support/compute-api-fixtures';

const userData = '#include https://x:s3cret@overcast.example/init-scripts/build-1\n';

describe('gce createInstance over the real REST transport', () => {
  let api: ComputeApi;
  let provider: ComputeProvider;

  beforeAll(async () => {
    api = await startComputeApi();
    provider = createGceComputeProvider({
      projectId: project,
      zone,
      imageProjectId: 'overcast-images',
      clientOptions: api.clientOptions(),
    });
  });
  beforeEach(() => api.reset());
  afterAll(async () => {
    await provider.close?.();
    await api.close();
  });

  function scriptSuccessfulInsert() {
    api.reply(
      'GET',
      instancePath,
      computeError(404, 'notFound', `The resource '${instancePath}' was not found`),
      instanceBody({
        status: 'PROVISIONING',
        networkInterfaces: [
          { name: 'nic0', networkIP: '10.132.0.7', accessConfigs: [{ type: 'ONE_TO_ONE_NAT', name: 'External NAT' }] },
        ],
      }),
    );
    api.reply('GET', '/compute/v1/projects/overcast-images/global/images', {
      kind: 'compute#imageList',
      items: [
        imageBody('travis-ci-amethyst-trusty-1470801111', '2016-08-10T03:00:00.000-07:00'),
        imageBody('travis-ci-amethyst-trusty-1480000000', '2016-11-24T03:00:00.000-08:00'),
        imageBody('travis-ci-amethyst-trusty-1490000000', '2017-03-20T03:00:00.000-07:00', {
          deprecated: { state: 'DEPRECATED' },
        }),
      ],
    });
    api.reply('POST', `${zoneBase}/instances`, operationBody());
    api.reply('POST', `${zoneBase}/operations/${operationName}/wait`, operationBody({ status: 'DONE', progress: 100 }));
  }

  it('resolves the image, inserts overcast-<id> with requestId, waits for the operation and reads the instance', async () => {
    scriptSuccessfulInsert();

    const instance = await provider.createInstance({
      id: overcastId,
      image: 'travis-ci-amethyst-trusty',
      instanceType: 'premium',
      userData,
      sshPublicKey: 'ssh-ed25519 AAAAC3Nz test@example\n',
      tags: { role: 'worker', Name: 'ignored-on-gce', queue: 'builds.Docker' },
      securityGroupId: 'overcast-ssh',
    });

    expect(api.calls()).toEqual([
      `GET ${instancePath}`,
      'GET /compute/v1/projects/overcast-images/global/images',
      `POST ${zoneBase}/instances`,
      `POST ${zoneBase}/operations/${operationName}/wait`,
      `GET ${instancePath}`,
    ]);
    const [, list, insert] = api.requests;
    expect(list?.query).toEqual({ filter: "name eq 'travis-ci-amethyst-trusty.*'" });
    expect(insert?.query).toEqual({ requestId: overcastId });
    expect(insert?.headers.authorization).toBe(`Bearer ${testAccessToken}`);
    expect(insert?.body).toEqual({
      name: `overcast-${overcastId}`,
      machineType: `zones/${zone}/machineTypes/n1-standard-4`,
      labels: { 'overcast-id': overcastId, role: 'worker', queue: 'builds_docker' },
      metadata: {
        items: [
          { key: 'user-data', value: userData },
          { key: 'ssh-keys', value: 'overcast:ssh-ed25519 AAAAC3Nz test@example' },
        ],
      },
      disks: [
        {
          boot: true,
          autoDelete: true,
          type: 'PERSISTENT',
          initializeParams: {
            sourceImage: 'projects/overcast-images/global/images/travis-ci-amethyst-trusty-1480000000',
            diskSizeGb: '30',
            diskType: `zones/${zone}/diskTypes/pd-ssd`,
            // The library serializes empty map fields; GCE ignores them.
            labels: {},
            resourceManagerTags: {},
          },
        },
      ],
      networkInterfaces: [
        { network: 'global/networks/default', accessConfigs: [{ name: 'External NAT', type: 'ONE_TO_ONE_NAT' }] },
      ],
      tags: { items: ['overcast-ssh'] },
      scheduling: { preemptible: false, automaticRestart: true },
    });
    expect(instance).toEqual({
      id: overcastId,
      upstreamId: '4567890123456789012',
      state: 'starting',
      ipAddress: '10.132.0.7',
      tags: { 'overcast-id': overcastId, role: 'worker' },
      createdAt: new Date('2026-11-02T10:00:00.000Z'),
    });
  });

  it('adopts an instance an earlier try created without inserting again', async () => {
    api.reply('GET', instancePath, instanceBody());

    const instance = await provider.createInstance({ id: overcastId, image: 'anything', instanceType: 'standard' });

    expect(api.calls()).toEqual([`GET ${instancePath}`]);
    expect(instance).toMatchObject({ id: overcastId, state: 'running', ipAddress: '203.0.113.9' });
  });

  it('adopts the existing instance when the insert answers 409 alreadyExists', async () => {
    api.reply('GET', instancePath, computeError(404, 'notFound', 'not found'), instanceBody({ status: 'STAGING' }));
    api.reply(
      'POST',
      `${zoneBase}/instances`,
      computeError(409, 'alreadyExists', `The resource '${instancePath}' already exists`),
    );

    const instance = await provider.createInstance({
      id: overcastId,
      image: `projects/${project}/global/images/family/worker`,
      instanceType: 'standard',
    });

    expect(api.calls()).toEqual([`GET ${instancePath}`, `POST ${zoneBase}/instances`, `GET ${instancePath}`]);
    expect(instance.state).toBe('starting');
  });

  it('passes an image resource path through without listing images', async () => {
    api.reply('GET', instancePath, computeError(404, 'notFound', 'not found'), instanceBody());
    api.reply('POST', `${zoneBase}/instances`, operationBody({ status: 'DONE' }));

    await provider.createInstance({
      id: overcastId,
      image: 'projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64',
      instanceType: 'standard',
    });

    expect(api.calls()).toEqual([`GET ${instancePath}`, `POST ${zoneBase}/instances`, `GET ${instancePath}`]);
    expect(api.requests[1]?.body).toMatchObject({
      disks: [
        { initializeParams: { sourceImage: 'projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64' } },
      ],
      machineType: `zones/${zone}/machineTypes/n1-standard-2`,
    });
    expect(api.requests[1]?.body).not.toHaveProperty('tags');
  });

  it('fails permanently, before inserting, when no image matches the name', async () => {
    api.reply('GET', instancePath, computeError(404, 'notFound', 'not found'));
    api.reply('GET', '/compute/v1/projects/overcast-images/global/images', { kind: 'compute#imageList' });

    const failure = provider.createInstance({ id: overcastId, image: 'no-such-image', instanceType: 'standard' });

    await expect(failure).rejects.toMatchObject({ name: 'ProviderError', retryable: false, code: 'IMAGE_NOT_FOUND' });
    expect(api.calls()).not.toContain(`POST ${zoneBase}/instances`);
  });

  it.each([
    ['ZONE_RESOURCE_POOL_EXHAUSTED', true],
    ['QUOTA_EXCEEDED', true],
    ['RESOURCE_NOT_FOUND', false],
  ])('surfaces a %s operation error as retryable=%s', async (code, retryable) => {
    scriptSuccessfulInsert();
    api.reply(
      'POST',
      `${zoneBase}/operations/${operationName}/wait`,
      operationBody({ status: 'DONE', error: { errors: [{ code, message: `${code} happened` }] } }),
    );

    const failure = provider.createInstance({
      id: overcastId,
      image: 'travis-ci-amethyst-trusty',
      instanceType: 'standard',
    });

    await expect(failure).rejects.toBeInstanceOf(ProviderError);
    await expect(failure).rejects.toMatchObject({ retryable, code });
  });

  it('reports a 503 on insert as retryable', async () => {
    api.reply('GET', instancePath, computeError(404, 'notFound', 'not found'));
    api.reply('POST', `${zoneBase}/instances`, computeError(503, 'backendError', 'Backend Error'));

    await expect(
      provider.createInstance({
        id: overcastId,
        image: `projects/${project}/global/images/x`,
        instanceType: 'standard',
      }),
    ).rejects.toMatchObject({ retryable: true });
  });

  it('reports a 403 on insert as permanent', async () => {
    api.reply('GET', instancePath, computeError(404, 'notFound', 'not found'));
    api.reply(
      'POST',
      `${zoneBase}/instances`,
      computeError(403, 'forbidden', 'Required permission compute.instances.create'),
    );

    await expect(
      provider.createInstance({ id: overcastId, image: `${base}/global/images/x`, instanceType: 'standard' }),
    ).rejects.toMatchObject({ retryable: false });
  });
});
