import {
  createInstanceRpc,
  getInstanceRpc,
  listInstancesRpc,
  readInstanceConsoleRpc,
  terminateInstanceRpc,
  type InstanceState,
  type InstanceType,
} from '@overcast/contracts';
import { inputOf, principalOf } from '../request-context';
import { given, pathIdFor } from './forwarded-values';
import type { RouteDefinition } from '../route-definition';
import type { RpcClient } from '../rpc-client';
import { instanceToWire } from '../wire/instance-wire';

interface CreateInstanceBody {
  provider: string;
  image: string;
  instance_type: InstanceType;
  public_ssh_key?: string;
  env?: string;
  site?: string;
  role?: string;
  queue?: string;
}

interface ListInstancesQuery {
  env?: string;
  site?: string;
  role?: string;
  queue?: string;
  provider?: string;
  state?: InstanceState;
  limit: number;
  cursor?: string;
}

/** cloud-brain's /instances, extended with pudding's filters; answered by the instance broker. */
export function instanceRoutes(deps: { call: RpcClient }): RouteDefinition[] {
  return [
    {
      method: 'post',
      path: '/instances',
      async handle(_req, res) {
        const input = inputOf(res);
        const body = input.body as CreateInstanceBody;
        const idempotencyKey = input.headers['idempotency-key'] as string | undefined;
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
          idempotencyKey,
        });
        res.status(201).location(`/instances/${instance.id}`).json(instanceToWire(instance));
      },
    },
    {
      method: 'get',
      path: '/instances',
      async handle(_req, res) {
        const query = inputOf(res).query as unknown as ListInstancesQuery;
        const page = await deps.call(listInstancesRpc, {
          tenantId: principalOf(res).tenantId,
          env: given(query.env),
          site: given(query.site),
          role: given(query.role),
          queue: given(query.queue),
          provider: given(query.provider),
          state: query.state,
          limit: query.limit,
          cursor: given(query.cursor),
        });
        res.json({ instances: page.instances.map(instanceToWire), next_cursor: page.nextCursor });
      },
    },
    {
      method: 'get',
      path: '/instances/{id}',
      async handle(_req, res) {
        const instance = await deps.call(getInstanceRpc, { tenantId: principalOf(res).tenantId, id: pathIdFor(getInstanceRpc.request, inputOf(res).path.id, 'instance not found') });
        // cloud-brain answers 410 Gone with the instance itself as the body once it is terminated.
        res.status(instance.state === 'terminated' ? 410 : 200).json(instanceToWire(instance));
      },
    },
    {
      method: 'delete',
      path: '/instances/{id}',
      async handle(_req, res) {
        const instance = await deps.call(terminateInstanceRpc, {
          tenantId: principalOf(res).tenantId,
          id: pathIdFor(terminateInstanceRpc.request, inputOf(res).path.id, 'instance not found'),
        });
        res.status(202).json(instanceToWire(instance));
      },
    },
    {
      method: 'get',
      path: '/instances/{id}/console',
      async handle(_req, res) {
        const { text } = await deps.call(readInstanceConsoleRpc, {
          tenantId: principalOf(res).tenantId,
          id: pathIdFor(readInstanceConsoleRpc.request, inputOf(res).path.id, 'instance not found'),
        });
        // Raw, like EC2's decoded console output: a JSON string would escape every newline of the log.
        res.type('text/plain; charset=utf-8').send(text);
      },
    },
  ];
}
