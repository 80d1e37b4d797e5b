import type { CreateInstanceRequest, Instance, InstanceState } from '../types';
import type { FakeRequest, FakeRoute } from './fake-http';
import { FakeHttpError } from './fake-http';
import { takeInstanceQuota } from './fake-quota';
import { newInstance, now, withPuddingFields } from './fake-state';

const nextState: Partial<Record<InstanceState, InstanceState>> = {
  creating: 'starting',
  starting: 'running',
  terminating: 'terminated',
};
const instanceStates = new Set(['creating', 'starting', 'running', 'terminating', 'terminated', 'errored']);

function findInstance(request: FakeRequest): Instance {
  const instance = request.state.instances.get(request.params.id ?? '');
  if (instance === undefined) throw new FakeHttpError(404, 'not_found', 'instance not found');
  return instance;
}

function validateCreate(body: unknown): CreateInstanceRequest {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const details = ['provider', 'image']
    .filter((name) => typeof fields[name] !== 'string' || fields[name] === '')
    .map((name) => ({ path: `body.${name}`, message: 'is required' }));
  if (fields.instance_type !== undefined && fields.instance_type !== 'standard' && fields.instance_type !== 'premium') {
    details.push({ path: 'body.instance_type', message: 'must be standard or premium' });
  }
  if (details.length > 0) throw new FakeHttpError(400, 'bad_request', 'The request is invalid.', details);
  return fields as unknown as CreateInstanceRequest;
}

function createInstance(request: FakeRequest) {
  const input = validateCreate(request.body);
  const key = request.headers['idempotency-key'];
  const previous = typeof key === 'string' ? request.state.idempotencyKeys.get(key) : undefined;
  if (previous !== undefined) {
    if (previous.body !== JSON.stringify(request.body)) {
      throw new FakeHttpError(409, 'conflict', 'Idempotency-Key was used with a different request');
    }
    const instance = request.state.instances.get(previous.instanceId);
    return { status: 200, json: instance, headers: { Location: `/instances/${previous.instanceId}` } };
  }
  if (!request.state.providers.has(input.provider)) {
    const message = `unknown provider "${input.provider}"`;
    throw new FakeHttpError(422, 'unprocessable', message, [{ path: 'body.provider', message }]);
  }
  takeInstanceQuota(request.state, 1);
  const instance = newInstance({
    provider: input.provider,
    image: input.image,
    instance_type: input.instance_type ?? 'standard',
    public_ssh_key: input.public_ssh_key ?? null,
    env: input.env ?? null,
    site: input.site ?? null,
    role: input.role ?? null,
    queue: input.queue ?? null,
  });
  request.state.instances.set(instance.id, instance);
  if (typeof key === 'string')
    request.state.idempotencyKeys.set(key, { body: JSON.stringify(request.body), instanceId: instance.id });
  return { status: 200, json: instance, headers: { Location: `/instances/${instance.id}` } };
}

function listInstances(request: FakeRequest) {
  const limit = Number(request.query.get('limit') ?? '50');
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new FakeHttpError(400, 'bad_request', 'The request is invalid.', [
      { path: 'query.limit', message: 'must be an integer from 1 to 500' },
    ]);
  }
  const state = request.query.get('state');
  if (state !== null && !instanceStates.has(state)) {
    throw new FakeHttpError(400, 'bad_request', 'The request is invalid.', [
      { path: 'query.state', message: 'unknown state' },
    ]);
  }
  const filters = ['env', 'site', 'role', 'queue', 'provider', 'state'] as const;
  const matching = [...request.state.instances.values()]
    .reverse()
    .filter((instance) =>
      filters.every((name) => !request.query.has(name) || instance[name] === request.query.get(name)),
    );
  const start = Number(request.query.get('cursor') ?? '0');
  const page = matching.slice(start, start + limit);
  const nextCursor = start + limit < matching.length ? String(start + limit) : null;
  return { status: 200, json: { instances: page, next_cursor: nextCursor } };
}

function getInstance(request: FakeRequest) {
  const instance = findInstance(request);
  const advanced = request.state.advanceOnRead ? nextState[instance.state] : undefined;
  if (advanced !== undefined) {
    Object.assign(instance, { state: advanced, updated_at: now() });
    if (advanced === 'running') Object.assign(instance, withPuddingFields({ ...instance, ip_address: '127.0.10.1' }));
  }
  return { status: instance.state === 'terminated' ? 410 : 200, json: instance };
}

function deleteInstance(request: FakeRequest) {
  const instance = findInstance(request);
  if (instance.state !== 'terminated') Object.assign(instance, { state: 'terminating', updated_at: now() });
  return { status: 200, json: instance };
}

function readConsole(request: FakeRequest) {
  const instance = findInstance(request);
  if (instance.provider !== 'local') {
    throw new FakeHttpError(422, 'unprocessable', `provider ${instance.provider} keeps no console`);
  }
  return { status: 200, text: request.state.consoles.get(instance.id) ?? '', contentType: 'text/plain; charset=utf-8' };
}

export const instanceRoutes: FakeRoute[] = [
  { method: 'POST', pattern: '/instances', access: 'token', handle: createInstance },
  { method: 'GET', pattern: '/instances', access: 'token', handle: listInstances },
  { method: 'GET', pattern: '/instances/:id', access: 'token', handle: getInstance },
  { method: 'DELETE', pattern: '/instances/:id', access: 'token', handle: deleteInstance },
  { method: 'GET', pattern: '/instances/:id/console', access: 'token', handle: readConsole },
];
