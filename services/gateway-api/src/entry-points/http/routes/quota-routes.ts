import { instanceBrokerQuotasRpc } from '@overcast/contracts';
import { principalOf } from '../request-context';
import { defineRoute, type RouteDefinition } from '../route-definition';
import type { RpcClient } from '../rpc-client';

/** The tenant's quotas, from each service that owns limited resources (today the instance broker). */
export function quotaRoutes(deps: { call: RpcClient }): RouteDefinition[] {
  return [
    defineRoute({
      method: 'get',
      path: '/quotas',
      async handle(_req, res) {
        const { quotas } = await deps.call(instanceBrokerQuotasRpc, { tenantId: principalOf(res).tenantId });
        res.json({ quotas });
      },
    }),
  ];
}
