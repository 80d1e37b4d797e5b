import { describeWithServices, waitFor } from '@overcast/test-kit';
import {
  decodeInto,
  goRequestHeaders,
  send,
  startOriginalClientsStack,
  type OriginalClientsStack,
} from './original-clients-harness';

// travis-ci/worker's cloudbrain backend (backend/cloudbrain_client.go, backend/cloudbrain.go, the commit before the
// backend was removed): ENDPOINT carries the token as URL userinfo (Basic), requests have no Content-Type, create
// sends VMType (`default` or `premium`) and an empty public_ssh_key, and each of create, get and delete accepts
// status 200 only and decodes cbInstanceData from the body. Start polls get until `running` or `errored`.

const instanceDataFields = ['id', 'image', 'ip_address', 'provider', 'state', 'upstream_id'] as const;

describeWithServices("travis-ci/worker's cloudbrain backend, unmodified, against Overcast", () => {
  let stack: OriginalClientsStack;
  let endpoint: URL;

  beforeAll(async () => {
    stack = await startOriginalClientsStack();
    endpoint = new URL(`http://token:${stack.token}@127.0.0.1:${stack.port}/`);
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** cbClient.Create: json.Marshal of cbInstanceRequest, POSTed to baseURL.Parse("instances"). */
  function create(vmType: string, image = 'standard-image') {
    const body = JSON.stringify({
      provider: 'fake',
      image,
      instance_type: vmType,
      public_ssh_key: '',
    });
    return send(stack, 'POST', new URL('instances', endpoint).pathname, goRequestHeaders(endpoint), body);
  }

  /** cbClient.Get and Delete: instances/<url.QueryEscape(id)>, no body. */
  function onInstance(method: 'GET' | 'DELETE', id: string) {
    const target = new URL(`instances/${encodeURIComponent(id)}`, endpoint).pathname;
    return send(stack, method, target, goRequestHeaders(endpoint));
  }

  it.each(['default', 'premium'])(
    'creates with instance_type %s, polls get until running, then deletes: every answer 200 with the instance',
    async (vmType) => {
      const created = await create(vmType);
      expect(created.status).toBe(200);
      const instance = decodeInto(created.body, instanceDataFields);
      expect(instance).toMatchObject({ provider: 'fake', image: 'standard-image', state: 'creating' });
      expect(created.headers.location).toBe(`/instances/${instance.id}`);

      // stepWaitForInstanceIP: get until running (done) or errored (a failure); anything but 200 is a failure too.
      const running = await waitFor(
        'the instance running',
        async () => {
          const polled = await onInstance('GET', instance.id);
          expect(polled.status).toBe(200);
          const state = decodeInto(polled.body, instanceDataFields);
          expect(state.state).not.toBe('errored');
          return state.state === 'running' ? state : undefined;
        },
        { intervalMs: 200 },
      );
      expect(running).toMatchObject({ id: instance.id, state: 'running' });

      const deleted = await onInstance('DELETE', instance.id);
      expect(deleted.status).toBe(200);
      expect(decodeInto(deleted.body, instanceDataFields)).toMatchObject({ id: instance.id, state: 'terminating' });
    },
  );

  it('answers a delete of an instance already being terminated with 200 again (the client retries on errors)', async () => {
    const instance = decodeInto((await create('default')).body, instanceDataFields);
    expect((await onInstance('DELETE', instance.id)).status).toBe(200);
    const again = await onInstance('DELETE', instance.id);
    expect(again.status).toBe(200);
    expect(['terminating', 'terminated']).toContain(decodeInto(again.body, instanceDataFields).state);
  });

  // cloud-brain answered an unknown provider with 500 (a foreign-key violation) and took any image, the instance
  // erroring later. The client takes every status but 200 as the create's failure (it halts the job's start and has
  // no instance to delete), so Overcast answers 422 naming the field, in cloud-brain's errors shape, and creates none.
  it('refuses an image the provider does not have with 422 naming it, and creates nothing to leak', async () => {
    const launched = stack.broker.created.length;
    const refused = await create('default', 'nonexistent-image');
    expect(refused.status).toBe(422);
    expect((JSON.parse(refused.body) as { errors: string[] }).errors).toEqual([
      'image: unknown image "nonexistent-image" for provider "fake" (GET /images lists the images it can boot)',
    ]);
    const listed = await send(stack, 'GET', '/instances?limit=100', goRequestHeaders(endpoint));
    const { instances } = JSON.parse(listed.body) as { instances: { image: string }[] };
    expect(instances.filter((instance) => instance.image === 'nonexistent-image')).toEqual([]);
    expect(stack.broker.created.length).toBe(launched);
  });
});
