import { randomBytes, randomUUID } from 'node:crypto';
import type { Image, Instance, InstanceBuild, Role, Token } from '../types';

export interface FakeToken extends Token {
  /** The full `<id>-<32 hex>` secret. */
  secret: string;
}

export interface FakeBuild extends InstanceBuild {
  /** The per-build Basic password accepted on its init script. */
  initScriptSecret: string;
}

/** Everything the fake gateway knows; tests may read and seed it directly. */
export interface FakeState {
  tokens: Map<string, FakeToken>;
  instances: Map<string, Instance>;
  /** Console text by instance id; only `local` instances have a console (the others answer 422). */
  consoles: Map<string, string>;
  builds: Map<string, FakeBuild>;
  images: Map<string, Image>;
  /** GitHub token → login of users allowed in (everyone else gets 401). */
  githubUsers: Map<string, { login: string; role: Role }>;
  /** Service statuses reported by GET /status. */
  services: { service: string; status: 'up' | 'down'; latency_ms?: number }[];
  notifications: string[];
  nextTokenId: number;
  /** Provider names instances may be created on. */
  providers: Set<string>;
  /** Idempotency-Key → the request body it was first used with and the instance it created. */
  idempotencyKeys: Map<string, { body: string; instanceId: string }>;
  /** When true, each GET of an instance moves it one step along its life cycle. */
  advanceOnRead: boolean;
  /** The tenant's instance quota: creates and builds beyond it answer 403 quota_exceeded. */
  instanceQuota: number;
}

export function now(): string {
  return new Date().toISOString();
}

export function issueToken(state: FakeState, description: string, role: Role): FakeToken {
  const id = String(state.nextTokenId++);
  const token: FakeToken = {
    id,
    secret: `${id}-${randomBytes(16).toString('hex')}`,
    description,
    role,
    tenant_id: 'default',
    created_at: now(),
    last_used_at: null,
  };
  state.tokens.set(id, token);
  return token;
}

export function createFakeState(): FakeState {
  const state: FakeState = {
    tokens: new Map(),
    instances: new Map(),
    consoles: new Map(),
    builds: new Map(),
    images: new Map(),
    githubUsers: new Map([['gh-octocat', { login: 'octocat', role: 'developer' }]]),
    services: [
      { service: 'gateway-api', status: 'up', latency_ms: 0 },
      { service: 'instance-broker', status: 'up', latency_ms: 3 },
    ],
    notifications: [],
    nextTokenId: 1,
    providers: new Set(['gce', 'aws', 'local', 'fake']),
    idempotencyKeys: new Map(),
    advanceOnRead: true,
    instanceQuota: 100,
  };
  return state;
}

/** Pudding's fields beside cloud-brain's, derived as the gateway derives them. */
export function withPuddingFields(instance: Instance): Instance {
  const labels = [instance.role, instance.site, instance.env, instance.queue].filter(Boolean);
  const ip = instance.ip_address ?? '';
  return {
    ...instance,
    name: [...labels, instance.id.slice(0, 8)].join('-'),
    image_id: instance.image,
    ip,
    private_ip: ip,
    launch_time: instance.created_at,
  };
}

export function newInstance(
  fields: Pick<Instance, 'provider' | 'image'> &
    Partial<Omit<Instance, 'name' | 'image_id' | 'ip' | 'private_ip' | 'launch_time'>>,
): Instance {
  const timestamp = now();
  return withPuddingFields({
    id: randomUUID(),
    instance_type: 'standard',
    state: 'creating',
    ip_address: null,
    upstream_id: null,
    error_reason: null,
    public_ssh_key: null,
    env: null,
    site: null,
    role: null,
    queue: null,
    instance_build_id: null,
    created_at: timestamp,
    updated_at: timestamp,
    name: '',
    image_id: '',
    ip: '',
    private_ip: '',
    launch_time: timestamp,
    ...fields,
  });
}
