import type { ComputeProvider } from '../../src';
import { createGceComputeProvider, mapGceStatus } from '../../src';
import type { ComputeApi } from '../support/compute-api-server';
import { computeError, startComputeApi } from '../support/compute-api-server';
import { instanceBody, instancePath, overcastId, project, zone, zoneBase } from '../support/compute-api-fixtures';

describe('gce getInstance, listInstances and terminateInstance over the real REST transport', () => {
  let api: ComputeApi;
  let provider: ComputeProvider;

  beforeAll(async () => {
    api = await startComputeApi();
    provider = createGceComputeProvider({ projectId: project, zone, clientOptions: api.clientOptions() });
  });
  beforeEach(() => api.reset());
  afterAll(async () => {
    await provider.close?.();
    await api.close();
  });

  it('reads an instance by its deterministic name and maps status, external address and labels', async () => {
    api.reply('GET', instancePath, instanceBody());

    const instance = await provider.getInstance(overcastId);

    expect(api.calls()).toEqual([`GET ${instancePath}`]);
    expect(instance).toEqual({
      id: overcastId,
      upstreamId: '4567890123456789012',
      state: 'running',
      ipAddress: '203.0.113.9',
      tags: { 'overcast-id': overcastId, role: 'worker' },
      createdAt: new Date('2026-11-02T10:00:00.000Z'),
    });
  });

  it('answers null for an instance GCE does not know', async () => {
    api.reply('GET', instancePath, computeError(404, 'notFound', `The resource '${instancePath}' was not found`));

    expect(await provider.getInstance(overcastId)).toBeNull();
  });

  it('lists instances filtered by the overcast-id label, following page tokens', async () => {
    api.reply(
      'GET',
      `${zoneBase}/instances`,
      { kind: 'compute#instanceList', items: [instanceBody()], nextPageToken: 'page-2' },
      {
        kind: 'compute#instanceList',
        items: [
          instanceBody({
            id: '99',
            name: 'overcast-other',
            labels: { 'overcast-id': 'other' },
            status: 'STOPPING',
            networkInterfaces: [],
          }),
        ],
      },
    );

    const instances = await provider.listInstances();

    expect(api.requests.map((request) => request.query)).toEqual([
      { filter: 'labels.overcast-id:*' },
      { filter: 'labels.overcast-id:*', pageToken: 'page-2' },
    ]);
    expect(instances.map((instance) => [instance.id, instance.upstreamId, instance.state, instance.ipAddress])).toEqual(
      [
        [overcastId, '4567890123456789012', 'running', '203.0.113.9'],
        ['other', '99', 'terminating', null],
      ],
    );
  });

  it('deletes the instance by name', async () => {
    api.reply('DELETE', instancePath, {
      kind: 'compute#operation',
      name: 'operation-delete-1',
      operationType: 'delete',
      status: 'RUNNING',
    });

    await provider.terminateInstance(overcastId);

    expect(api.calls()).toEqual([`DELETE ${instancePath}`]);
  });

  it('treats deleting an instance that is already gone as success', async () => {
    api.reply('DELETE', instancePath, computeError(404, 'notFound', 'not found'));

    await expect(provider.terminateInstance(overcastId)).resolves.toBeUndefined();
  });

  it('reports a permission error on delete as permanent', async () => {
    api.reply('DELETE', instancePath, computeError(403, 'forbidden', 'Required permission compute.instances.delete'));

    await expect(provider.terminateInstance(overcastId)).rejects.toMatchObject({
      name: 'ProviderError',
      retryable: false,
    });
  });

  it.each([
    ['PROVISIONING', 'starting'],
    ['STAGING', 'starting'],
    ['RUNNING', 'running'],
    ['STOPPING', 'terminating'],
    ['SUSPENDING', 'terminating'],
    ['TERMINATED', 'terminated'],
    ['SUSPENDED', 'terminated'],
  ])('maps GCE status %s to %s', (status, state) => {
    expect(mapGceStatus(status)).toBe(state);
  });
});
