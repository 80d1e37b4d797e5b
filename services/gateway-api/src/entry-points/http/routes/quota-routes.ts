import { appManagerQuotasRpc, instanceBrokerQuotasRpc } from '@overcast/contracts';
import { principalOf } from '../request-context';
import { defineRoute, type RouteDefinition } from '../route-definition';
import type { RpcClient } from '../rpc-client';

/**
 * The tenant's quotas in one answer, asked of each service that owns limited resources at once: the instance
 * broker's `instances`, then the app manager's `districts` and `apps`. If one owner does not answer, neither
 * does the route (its error): a list missing a quota would read as a quota that does not exist.
 */
export function quotaRoutes(deps: { call: RpcClient }): RouteDefinition[] {
  return [
    defineRoute({
      method: 'get',
      path: '/quotas',
      async handle(_req, res) {
        const tenant = { tenantId: principalOf(res).tenantId };
        const [instances, apps] = await Promise.all([
          deps.call(instanceBrokerQuotasRpc, tenant),
          deps.call(appManagerQuotasRpc, tenant),
        ]);
        res.json({ quotas: [...instances.quotas, ...apps.quotas] });
      },
    }),
  ];
}
