import { randomUUID } from 'node:crypto';
import { AppError, instanceBrokerRpcs, type Image, type Instance, type InstanceBuild } from '@overcast/contracts';
import type { Bus, Consumer } from '@overcast/messaging';

/**
 * Answers the instance broker's RPCs on the bus by their contract, recording what it was asked, so the
 * gateway's routes are tested through the real bus without the broker service (services never import each
 * other; the end-to-end run with the real broker belongs to the standalone runner).
 */
export interface BrokerStub {
  requests: { type: string; payload: Record<string, unknown> }[];
  instances: Map<string, Instance & { tenantId: string }>;
  builds: Map<string, InstanceBuild & { tenantId: string; secret: string }>;
  /** Console text by instance id; only `local` instances have one, as with the real providers. */
  consoles: Map<string, string>;
  stop(): Promise<void>;
}

const now = () => new Date().toISOString();

export function makeInstance(tenantId: string, fields: Partial<Instance> = {}): Instance & { tenantId: string } {
  return {
    tenantId,
    id: randomUUID(),
    provider: 'fake',
    image: 'image-2016-01-01',
    instanceType: 'standard',
    publicSshKey: null,
    state: 'creating',
    ipAddress: null,
    upstreamId: null,
    errorReason: null,
    env: null,
    site: null,
    role: null,
    queue: null,
    instanceBuildId: null,
    createdAt: now(),
    updatedAt: now(),
    ...fields,
  };
}

function withoutTenant<T extends { tenantId: string }>(value: T): Omit<T, 'tenantId'> {
  const { tenantId: _tenantId, ...rest } = value;
  return rest;
}

export async function startBrokerStub(bus: Bus): Promise<BrokerStub> {
  const requests: BrokerStub['requests'] = [];
  const instances: BrokerStub['instances'] = new Map();
  const builds: BrokerStub['builds'] = new Map();
  const consoles: BrokerStub['consoles'] = new Map();
  const idempotent = new Map<string, string>();
  const images: (Image & { tenantId: string })[] = [];
  const record = (type: string, payload: object) =>
    requests.push({ type, payload: payload as Record<string, unknown> });
  const ownInstance = (tenantId: string, id: string) => {
    const instance = instances.get(id);
    if (!instance || instance.tenantId !== tenantId) throw new AppError('not_found', 'instance not found');
    return instance;
  };
  const ownBuild = (tenantId: string, id: string) => {
    const build = builds.get(id);
    if (!build || build.tenantId !== tenantId) throw new AppError('not_found', 'instance build not found');
    return build;
  };

  const consumer: Consumer = await bus.serve('instance-broker', instanceBrokerRpcs, {
    'instance.create': async (request) => {
      record('instance.create', request);
      const known = request.idempotencyKey
        ? idempotent.get(`${request.tenantId}:${request.idempotencyKey}`)
        : undefined;
      if (known) return withoutTenant(ownInstance(request.tenantId, known));
      const instance = makeInstance(request.tenantId, {
        provider: request.provider,
        image: request.image,
        instanceType: request.instanceType ?? 'standard',
        publicSshKey: request.publicSshKey ?? null,
        env: request.env ?? null,
        site: request.site ?? null,
      });
      instances.set(instance.id, instance);
      if (request.idempotencyKey) idempotent.set(`${request.tenantId}:${request.idempotencyKey}`, instance.id);
      return withoutTenant(instance);
    },
    'instance.get': async (request) => {
      record('instance.get', request);
      return withoutTenant(ownInstance(request.tenantId, request.id));
    },
    'instance.list': async (request) => {
      record('instance.list', request);
      const mine = [...instances.values()].filter((instance) => instance.tenantId === request.tenantId);
      return { instances: mine.slice(0, request.limit).map(withoutTenant), nextCursor: null };
    },
    'instance.terminate': async (request) => {
      record('instance.terminate', request);
      const instance = ownInstance(request.tenantId, request.id);
      if (instance.state !== 'terminated') instance.state = 'terminating';
      return withoutTenant(instance);
    },
    'instance.console': async (request) => {
      record('instance.console', request);
      const instance = ownInstance(request.tenantId, request.id);
      if (instance.provider !== 'local')
        throw new AppError('unprocessable', `provider ${instance.provider} keeps no console`);
      return { text: consoles.get(instance.id) ?? '' };
    },
    'instance-build.create': async (request) => {
      record('instance-build.create', request);
      const build = {
        tenantId: request.tenantId,
        secret: 'right-secret',
        id: randomUUID(),
        provider: request.provider ?? 'fake',
        site: request.site,
        env: request.env,
        role: request.role,
        queue: request.queue,
        instanceType: request.instanceType,
        count: request.count,
        image: request.image ?? null,
        slackChannel: request.slackChannel ?? null,
        subnetId: request.subnetId ?? null,
        securityGroupId: request.securityGroupId ?? null,
        bootInstance: request.bootInstance,
        state: 'pending' as const,
        instanceIds: [],
        errorReason: null,
        createdAt: now(),
        updatedAt: now(),
      };
      builds.set(build.id, build);
      const { secret: _secret, ...rest } = build;
      return withoutTenant(rest);
    },
    'instance-build.get': async (request) => {
      record('instance-build.get', request);
      const { secret: _secret, ...build } = ownBuild(request.tenantId, request.id);
      return withoutTenant(build);
    },
    'instance-build.update': async (request) => {
      record('instance-build.update', request);
      ownBuild(request.tenantId, request.id);
      return { notified: request.state === 'finished' };
    },
    'init-script.get': async (request) => {
      record('init-script.get', request);
      const build = builds.get(request.buildId);
      const allowed =
        build && (request.tenantId ? build.tenantId === request.tenantId : build.secret === request.secret);
      if (!build || !allowed) throw new AppError('not_found', 'instance build not found');
      return {
        script: `#!/usr/bin/env bash\necho "booting ${build.role} for ${build.site}/${build.env}/${build.queue}"\n`,
      };
    },
    'instance-build.report-lifecycle': async (request) => {
      record('instance-build.report-lifecycle', request);
      const build = builds.get(request.buildId);
      const allowed =
        build && (request.tenantId ? build.tenantId === request.tenantId : build.secret === request.secret);
      if (!build || !allowed) throw new AppError('not_found', 'instance build not found');
      return { instanceId: request.instanceId };
    },
    // The real broker's autoscaling groups are exercised through test/support/real-broker.ts.
    'autoscaling-group-build.create': async (request) => {
      record('autoscaling-group-build.create', request);
      throw new AppError('unprocessable', 'the stub broker has no autoscaling groups');
    },
    'sns-message.receive': async (request) => {
      record('sns-message.receive', request);
      return { outcome: 'unknown-topic' as const };
    },
    'instance-build.heartbeat': async (request) => {
      record('instance-build.heartbeat', request);
      const build = builds.get(request.buildId);
      const allowed =
        build && (request.tenantId ? build.tenantId === request.tenantId : build.secret === request.secret);
      if (!build || !allowed) throw new AppError('not_found', 'instance build not found');
      const instance = [...instances.values()].find(
        (candidate) => candidate.id === request.instanceId && candidate.instanceBuildId === build.id,
      );
      if (!instance) throw new AppError('not_found', 'unknown instance');
      const expectedState = instance.state.startsWith('terminat') ? ('down' as const) : ('up' as const);
      return { instance: withoutTenant(instance), expectedState };
    },
    'image.list': async (request) => {
      record('image.list', request);
      return {
        images: images
          .filter(
            (image) =>
              image.tenantId === request.tenantId && (request.active === undefined || image.active === request.active),
          )
          .map(withoutTenant),
      };
    },
    'image.register': async (request) => {
      record('image.register', request);
      const image = {
        tenantId: request.tenantId,
        id: randomUUID(),
        provider: request.provider,
        imageId: request.imageId,
        role: request.role,
        name: request.name ?? request.imageId,
        active: request.active ?? false,
        state: 'available' as const,
        createdAt: now(),
      };
      images.push(image);
      return withoutTenant(image);
    },
    'image.activate': async (request) => {
      record('image.activate', request);
      const image = images.find((candidate) => candidate.id === request.id && candidate.tenantId === request.tenantId);
      if (!image) throw new AppError('not_found', 'image not found');
      image.active = true;
      return withoutTenant(image);
    },
    'instance-broker.status': async () => ({
      service: 'instance-broker',
      ready: true,
      uptimeSeconds: 1,
      checks: { database: true, broker: true },
    }),
    'instance-broker.quotas': async (request) => {
      record('instance-broker.quotas', request);
      const used = [...instances.values()].filter(
        (instance) => instance.tenantId === request.tenantId && instance.state !== 'terminated',
      ).length;
      return { quotas: [{ name: 'instances', limit: 100, used }] };
    },
  });

  return { requests, instances, builds, consoles, stop: () => consumer.stop() };
}
