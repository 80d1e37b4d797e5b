import {
  createAppRpc,
  createDistrictRpc,
  deleteDistrictRpc,
  getDistrictRpc,
  launchInstancesRpc,
  listAppsRpc,
  listDistrictsRpc,
  updateDistrictRpc,
} from '@overcast/contracts';
import { principalOf } from '../request-context';
import { defineRoute, type RouteDefinition } from '../route-definition';
import type { RpcClient } from '../rpc-client';

/** Barcelona's districts, answered by the app manager; writes are admin-only (the spec's x-overcast-role). */
export function districtRoutes(deps: { call: RpcClient }): RouteDefinition[] {
  return [
    defineRoute({
      method: 'post',
      path: '/districts',
      async handle(_req, res, { body }) {
        const district = await deps.call(createDistrictRpc, { ...body, tenantId: principalOf(res).tenantId });
        res.json({ district });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/districts',
      async handle(_req, res) {
        res.json(await deps.call(listDistrictsRpc, { tenantId: principalOf(res).tenantId }));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/districts/{district}',
      async handle(_req, res, { path }) {
        const district = await deps.call(getDistrictRpc, { tenantId: principalOf(res).tenantId, name: path.district });
        res.json({ district });
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/districts/{district}',
      async handle(_req, res, { path, body }) {
        const district = await deps.call(updateDistrictRpc, {
          ...body,
          tenantId: principalOf(res).tenantId,
          name: path.district,
        });
        res.json({ district });
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/districts/{district}',
      async handle(_req, res, { path }) {
        await deps.call(deleteDistrictRpc, { tenantId: principalOf(res).tenantId, name: path.district });
        res.status(204).end();
      },
    }),
    defineRoute({
      method: 'post',
      path: '/districts/{district}/launch_instances',
      async handle(_req, res, { path, body }) {
        await deps.call(launchInstancesRpc, {
          tenantId: principalOf(res).tenantId,
          name: path.district,
          count: body.count,
          instance_type: body.instance_type,
        });
        res.status(204).end();
      },
    }),
    defineRoute({
      method: 'post',
      path: '/districts/{district}/apps',
      async handle(_req, res, { path, body }) {
        const app = await deps.call(createAppRpc, {
          ...body,
          tenantId: principalOf(res).tenantId,
          district: path.district,
        });
        res.json({ app });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/districts/{district}/apps',
      async handle(_req, res, { path }) {
        res.json(await deps.call(listAppsRpc, { tenantId: principalOf(res).tenantId, district: path.district }));
      },
    }),
  ];
}
