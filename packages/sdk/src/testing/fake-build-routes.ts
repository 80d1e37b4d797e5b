import { randomBytes, randomUUID } from 'node:crypto';
import type { ErrorDetail, InstanceBuild } from '../types';
import type { FakeRequest, FakeRoute } from './fake-http';
import { FakeHttpError } from './fake-http';
import { takeInstanceQuota } from './fake-quota';
import type { FakeBuild } from './fake-state';
import { now } from './fake-state';

const requiredText = ['site', 'env', 'queue', 'role'] as const;

/** Every problem at once, in pudding's order and words. */
function validateBuild(body: unknown): { fields: Record<string, unknown>; details: ErrorDetail[] } {
  const wrapper = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const inner = wrapper.instance_builds;
  if (typeof inner !== 'object' || inner === null) {
    return { fields: {}, details: [{ path: 'body.instance_builds', message: 'is required' }] };
  }
  const fields = inner as Record<string, unknown>;
  const details: ErrorDetail[] = requiredText
    .filter((name) => typeof fields[name] !== 'string' || fields[name] === '')
    .map((name) => ({ path: `body.instance_builds.${name}`, message: `empty "${name}" param` }));
  if (fields.instance_type !== 'standard' && fields.instance_type !== 'premium') {
    details.push({ path: 'body.instance_builds.instance_type', message: 'empty "instance_type" param' });
  }
  if (typeof fields.count !== 'number' || !Number.isInteger(fields.count) || fields.count < 1) {
    details.push({ path: 'body.instance_builds.count', message: 'count must be more than 0' });
  }
  return { fields, details };
}

function publicBuild(build: FakeBuild): InstanceBuild {
  const { initScriptSecret: _secret, ...visible } = build;
  return visible;
}

function createBuild(request: FakeRequest) {
  const { fields, details } = validateBuild(request.body);
  if (details.length > 0) throw new FakeHttpError(400, 'bad_request', 'The request is invalid.', details);
  const provider = typeof fields.provider === 'string' ? fields.provider : 'local';
  const role = fields.role as string;
  const requested = (fields.image ?? fields.ami) as string | undefined;
  const active = [...request.state.images.values()].find(
    (image) => image.active && image.provider === provider && image.role === role,
  );
  const image = requested ?? active?.image_id;
  if (image === undefined) {
    const message = `no active image for provider ${provider} and role ${role}`;
    throw new FakeHttpError(422, 'unprocessable', message, [{ path: 'body.instance_builds.image', message }]);
  }
  if (fields.boot_instance !== false) takeInstanceQuota(request.state, 1);
  const slackChannel = request.query.get('slack-channel') ?? (fields.slack_channel as string | undefined) ?? null;
  const build: FakeBuild = {
    id: randomUUID(),
    state: 'pending',
    site: fields.site as string,
    env: fields.env as string,
    role,
    queue: fields.queue as string,
    instance_type: fields.instance_type as 'standard' | 'premium',
    count: fields.count as number,
    provider,
    image,
    slack_channel: slackChannel,
    subnet_id: (fields.subnet_id as string | undefined) ?? null,
    security_group_id: (fields.security_group_id as string | undefined) ?? null,
    boot_instance: fields.boot_instance !== false,
    instance_ids: [],
    created_at: now(),
    initScriptSecret: randomBytes(16).toString('hex'),
  };
  request.state.builds.set(build.id, build);
  return { status: 202, json: { instance_builds: [publicBuild(build)] } };
}

function findBuild(request: FakeRequest, id: string | undefined): FakeBuild {
  const build = request.state.builds.get(id ?? '');
  if (build === undefined) throw new FakeHttpError(404, 'not_found', 'instance build not found');
  return build;
}

function updateBuild(request: FakeRequest) {
  const build = findBuild(request, request.params.id);
  const form = (request.body ?? {}) as Record<string, string>;
  const read = (name: string) => form[name] ?? request.query.get(name) ?? undefined;
  if (read('state') !== 'finished') return { status: 200, json: { no: 'op' } };
  const instanceId = read('instance-id');
  build.state = 'finished';
  request.state.notifications.push(
    `#${read('slack-channel') ?? build.slack_channel ?? 'general'}: Finished starting instance \`${instanceId ?? '?'}\` for instance build *${build.id}*`,
  );
  return { status: 200, json: { sure: 'why not' } };
}

function getInitScript(request: FakeRequest) {
  const build = findBuild(request, request.params.build_id);
  return {
    status: 200,
    contentType: 'text/x-shellscript; charset=utf-8',
    text: `#!/usr/bin/env bash\necho "booting ${build.role} for ${build.site}/${build.env}/${build.queue}"\n`,
  };
}

export const buildRoutes: FakeRoute[] = [
  { method: 'POST', pattern: '/instance-builds', access: 'token', handle: createBuild },
  {
    method: 'GET',
    pattern: '/instance-builds/:id',
    access: 'token',
    handle: (request) => ({
      status: 200,
      json: { instance_builds: [publicBuild(findBuild(request, request.params.id))] },
    }),
  },
  { method: 'PATCH', pattern: '/instance-builds/:id', access: 'token', handle: updateBuild },
  // Authentication for this route (token or the build's own Basic credentials) is checked by the server.
  { method: 'GET', pattern: '/init-scripts/:build_id', access: 'public', handle: getInitScript },
];
