import {
  createDeploymentRpc,
  deleteDeploymentRpc,
  getDeploymentRpc,
  listDeploymentsRpc,
  notifyDeploymentRpc,
  updateDeploymentRpc,
  validateDeploymentRpc,
} from '@overcast/contracts';
import { deploymentFileOf } from '../deployment-file-body';
import { principalOf } from '../request-context';
import { defineRoute, type RouteDefinition } from '../route-definition';
import type { RpcClient } from '../rpc-client';
import { deploymentSummaryToWire, deploymentToWire, planStepToWire } from '../wire/registry-wire';
import { pathIdFor } from './forwarded-values';

/** Deployments from an overcast.yml (Photon's metacenters), answered by the registry. */
export function deploymentRoutes(deps: { call: RpcClient }): RouteDefinition[] {
  return [
    defineRoute({
      method: 'post',
      path: '/deployments/validate',
      async handle(req, res) {
        res.json(
          await deps.call(validateDeploymentRpc, {
            tenantId: principalOf(res).tenantId,
            source: deploymentFileOf(req),
          }),
        );
      },
    }),
    defineRoute({
      method: 'post',
      path: '/deployments',
      async handle(req, res) {
        const deployment = await deps.call(createDeploymentRpc, {
          tenantId: principalOf(res).tenantId,
          source: deploymentFileOf(req),
        });
        res.status(201).location(`/deployments/${deployment.id}`).json(deploymentToWire(deployment));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/deployments',
      async handle(_req, res) {
        const { deployments } = await deps.call(listDeploymentsRpc, { tenantId: principalOf(res).tenantId });
        res.json({ deployments: deployments.map(deploymentSummaryToWire) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/deployments/{id}',
      async handle(_req, res, { path }) {
        const deployment = await deps.call(getDeploymentRpc, {
          tenantId: principalOf(res).tenantId,
          id: pathIdFor(getDeploymentRpc.request, path.id, 'deployment not found'),
        });
        res.json(deploymentToWire(deployment));
      },
    }),
    defineRoute({
      method: 'put',
      path: '/deployments/{id}',
      async handle(req, res, { path, query }) {
        const { plan, deployment } = await deps.call(updateDeploymentRpc, {
          tenantId: principalOf(res).tenantId,
          id: pathIdFor(updateDeploymentRpc.request, path.id, 'deployment not found'),
          source: deploymentFileOf(req),
          dryRun: query.dry_run === true,
        });
        res.json({
          plan: plan.map(planStepToWire),
          ...(deployment === undefined ? {} : { deployment: deploymentToWire(deployment) }),
        });
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/deployments/{id}',
      async handle(_req, res, { path }) {
        await deps.call(deleteDeploymentRpc, {
          tenantId: principalOf(res).tenantId,
          id: pathIdFor(deleteDeploymentRpc.request, path.id, 'deployment not found'),
        });
        res.status(204).end();
      },
    }),
    defineRoute({
      method: 'post',
      path: '/deployments/{id}/notify',
      async handle(_req, res, { path, body }) {
        const result = await deps.call(notifyDeploymentRpc, {
          tenantId: principalOf(res).tenantId,
          id: pathIdFor(notifyDeploymentRpc.request, path.id, 'deployment not found'),
          notification: body?.notification,
          event: body?.event,
        });
        res.json(result);
      },
    }),
  ];
}
