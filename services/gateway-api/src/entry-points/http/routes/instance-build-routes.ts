import {
  createInstanceBuildRpc,
  getInstanceBuildRpc,
  updateInstanceBuildRpc,
  type ErrorDetail,
} from '@overcast/contracts';
import { principalOf } from '../request-context';
import { puddingEmptyFieldWording } from './pudding-wording';
import { given, pathIdFor } from './forwarded-values';
import { defineRoute, type RouteDefinition } from '../route-definition';
import type { RpcClient } from '../rpc-client';
import { instanceBuildToWire } from '../wire/instance-wire';

const emptyLabelWording = puddingEmptyFieldWording('instance_builds', [
  'site',
  'env',
  'queue',
  'role',
  'instance_type',
]);

/** Pudding's own validation messages (its clients print them), where the spec's rule is pudding's rule. */
export function puddingWording(detail: ErrorDetail): ErrorDetail {
  if (detail.path === 'body.instance_builds.count' && detail.message === 'must be >= 1') {
    return { ...detail, message: 'count must be more than 0' };
  }
  return emptyLabelWording(detail);
}

/** Pudding's /instance-builds; answered by the instance broker. */
export function instanceBuildRoutes(deps: { call: RpcClient; publicUrl: () => string }): RouteDefinition[] {
  return [
    defineRoute({
      method: 'post',
      path: '/instance-builds',
      rewordValidation: puddingWording,
      async handle(_req, res, { body, query }) {
        const build = body.instance_builds;
        const created = await deps.call(createInstanceBuildRpc, {
          tenantId: principalOf(res).tenantId,
          site: build.site,
          env: build.env,
          // Pudding defaulted the role to `worker`; hubot-pudding sends `""` when its operator set no default role.
          role: given(build.role) ?? 'worker',
          queue: build.queue,
          instanceType: build.instance_type,
          count: build.count,
          provider: build.provider,
          image: given(build.image) ?? given(build.ami),
          slackChannel: given(query['slack-channel']) ?? given(build.slack_channel),
          subnetId: given(build.subnet_id),
          securityGroupId: given(build.security_group_id),
          bootInstance: build.boot_instance,
          gatewayUrl: deps.publicUrl(),
        });
        res.status(202).json({ instance_builds: [instanceBuildToWire(created)] });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/instance-builds/{id}',
      async handle(_req, res, { path }) {
        const build = await deps.call(getInstanceBuildRpc, {
          tenantId: principalOf(res).tenantId,
          id: pathIdFor(getInstanceBuildRpc.request, path.id, 'instance build not found'),
        });
        res.json({ instance_builds: [instanceBuildToWire(build)] });
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/instance-builds/{id}',
      async handle(_req, res, { body, path, query }) {
        // Pudding read these from the form or the query string; the body wins.
        const field = (name: keyof typeof query) => given(body?.[name]) ?? given(query[name]);
        const result = await deps.call(updateInstanceBuildRpc, {
          tenantId: principalOf(res).tenantId,
          id: pathIdFor(updateInstanceBuildRpc.request, path.id, 'instance build not found'),
          state: field('state') ?? '',
          instanceId: field('instance-id'),
          slackChannel: field('slack-channel'),
        });
        res.json(result.notified ? { sure: 'why not' } : { no: 'op' });
      },
    }),
  ];
}
