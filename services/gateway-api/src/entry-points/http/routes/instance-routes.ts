import {
  createInstanceRpc,
  getInstanceRpc,
  isAppError,
  isPuddingInstanceReference,
  listInstancesRpc,
  readInstanceConsoleRpc,
  terminateInstanceRpc,
} from '@overcast/contracts';
import { principalOf } from '../request-context';
import { given, pathIdFor } from './forwarded-values';
import { defineRoute, type RouteDefinition } from '../route-definition';
import type { RpcClient } from '../rpc-client';
import { instanceToWire } from '../wire/instance-wire';

/** cloud-brain's /instances, extended with pudding's filters; answered by the instance broker. */
export function instanceRoutes(deps: { call: RpcClient }): RouteDefinition[] {
  return [
    defineRoute({
      method: 'post',
      path: '/instances',
      async handle(_req, res, { body, headers }) {
        const instance = await deps.call(createInstanceRpc, {
          tenantId: principalOf(res).tenantId,
          provider: body.provider,
          image: body.image,
          instanceType: body.instance_type,
          publicSshKey: given(body.public_ssh_key),
          env: given(body.env),
          site: given(body.site),
          role: given(body.role),
          queue: given(body.queue),
          idempotencyKey: headers['idempotency-key'],
        });
        // 200, as cloud-brain's server answered: its real client (travis-ci/worker) refuses any other status.
        res.status(200).location(`/instances/${instance.id}`).json(instanceToWire(instance));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/instances',
      async handle(_req, res, { query }) {
        const page = await deps.call(listInstancesRpc, {
          tenantId: principalOf(res).tenantId,
          env: given(query.env),
          site: given(query.site),
          role: given(query.role),
          queue: given(query.queue),
          provider: given(query.provider),
          state: query.state,
          // The spec's validator has applied the spec's default; its type cannot say so, so this only satisfies the type.
          limit: query.limit ?? listInstancesRpc.request.shape.limit.parse(undefined),
          cursor: given(query.cursor),
        });
        res.json({ instances: page.instances.map(instanceToWire), next_cursor: page.nextCursor });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/instances/{id}',
      async handle(_req, res, { path }) {
        if (isPuddingInstanceReference(path.id)) {
          // Pudding answered its list of what the id names, empty when nothing (its tests pin `{"instances":[]}`).
          // An id no instance can have (longer than any reference) names nothing, like any other unknown id.
          const lookable = listInstancesRpc.request.shape.reference.safeParse(path.id).success;
          const page = lookable
            ? await deps.call(listInstancesRpc, { tenantId: principalOf(res).tenantId, reference: path.id, limit: 1 })
            : { instances: [] };
          return void res.json({ instances: page.instances.map(instanceToWire) });
        }
        const instance = await deps.call(getInstanceRpc, {
          tenantId: principalOf(res).tenantId,
          id: pathIdFor(getInstanceRpc.request, path.id, 'instance not found'),
        });
        // cloud-brain answers 410 Gone with the instance itself as the body once it is terminated.
        res.status(instance.state === 'terminated' ? 410 : 200).json(instanceToWire(instance));
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/instances/{id}',
      async handle(_req, res, { path, query }) {
        const terminate = () =>
          deps.call(terminateInstanceRpc, {
            tenantId: principalOf(res).tenantId,
            id: pathIdFor(terminateInstanceRpc.request, path.id, 'instance not found'),
            slackChannel: given(query['slack-channel']),
          });
        // 200 with the instance: cloud-brain's real client (travis-ci/worker) accepts nothing else from a delete.
        if (!isPuddingInstanceReference(path.id)) return void res.json(instanceToWire(await terminate()));
        // Pudding queued the termination of any id it was given and said so; an id naming nothing is no error.
        await terminate().catch((error: unknown) => {
          if (!isAppError(error) || error.code !== 'not_found') throw error;
        });
        res.status(202).json({ ok: 'working on that' });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/instances/{id}/console',
      async handle(_req, res, { path }) {
        const { text } = await deps.call(readInstanceConsoleRpc, {
          tenantId: principalOf(res).tenantId,
          id: pathIdFor(readInstanceConsoleRpc.request, path.id, 'instance not found'),
        });
        // Raw, like EC2's decoded console output: a JSON string would escape every newline of the log.
        res.type('text/plain; charset=utf-8').send(text);
      },
    }),
  ];
}
