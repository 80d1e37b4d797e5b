import {
  appDriftRpc,
  deleteAppRpc,
  getAppRpc,
  getOneoffRpc,
  getReleaseRpc,
  listAppEventsRpc,
  listAppsRpc,
  listReleasesRpc,
  rollbackReleaseRpc,
  runOneoffRpc,
  scaleServiceRpc,
  setEnvVarsRpc,
  unsetEnvVarsRpc,
  updateAppRpc,
} from '@overcast/contracts';
import { principalOf } from '../request-context';
import { defineRoute, type RouteDefinition } from '../route-definition';
import type { RpcClient } from '../rpc-client';

/** Barcelona's apps (heritages), their env vars, scale, one-offs, releases, events and drift: the app manager's. */
export function appRoutes(deps: { call: RpcClient }): RouteDefinition[] {
  return [
    defineRoute({
      method: 'get',
      path: '/apps',
      async handle(_req, res) {
        res.json(await deps.call(listAppsRpc, { tenantId: principalOf(res).tenantId }));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/apps/{app}',
      async handle(_req, res, { path }) {
        res.json({ app: await deps.call(getAppRpc, { tenantId: principalOf(res).tenantId, app: path.app }) });
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/apps/{app}',
      async handle(_req, res, { path, body }) {
        const app = await deps.call(updateAppRpc, { ...body, tenantId: principalOf(res).tenantId, app: path.app });
        res.json({ app });
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/apps/{app}',
      async handle(_req, res, { path }) {
        await deps.call(deleteAppRpc, { tenantId: principalOf(res).tenantId, app: path.app });
        res.status(204).end();
      },
    }),
    defineRoute({
      method: 'post',
      path: '/apps/{app}/env_vars',
      async handle(_req, res, { path, body }) {
        const app = await deps.call(setEnvVarsRpc, {
          tenantId: principalOf(res).tenantId,
          app: path.app,
          env_vars: body.env_vars,
        });
        res.json({ app });
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/apps/{app}/env_vars',
      async handle(_req, res, { path, body }) {
        const app = await deps.call(unsetEnvVarsRpc, {
          tenantId: principalOf(res).tenantId,
          app: path.app,
          env_keys: body.env_keys,
        });
        res.json({ app });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/apps/{app}/services/{service}/scale',
      async handle(_req, res, { path, body }) {
        const service = await deps.call(scaleServiceRpc, {
          tenantId: principalOf(res).tenantId,
          app: path.app,
          service: path.service,
          scale: body.scale,
        });
        res.json({ service });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/apps/{app}/oneoffs',
      async handle(_req, res, { path, body }) {
        // A sync one-off waits for its task: the call may take the app manager's wait and a margin.
        const oneoff = await deps.call(runOneoffRpc, { ...body, tenantId: principalOf(res).tenantId, app: path.app });
        res.json({ oneoff });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/oneoffs/{id}',
      async handle(_req, res, { path }) {
        res.json({ oneoff: await deps.call(getOneoffRpc, { tenantId: principalOf(res).tenantId, id: path.id }) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/apps/{app}/releases',
      async handle(_req, res, { path }) {
        res.json(await deps.call(listReleasesRpc, { tenantId: principalOf(res).tenantId, app: path.app }));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/apps/{app}/releases/{version}',
      async handle(_req, res, { path }) {
        const release = await deps.call(getReleaseRpc, {
          tenantId: principalOf(res).tenantId,
          app: path.app,
          version: path.version,
        });
        res.json({ release });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/apps/{app}/releases/{version}/rollback',
      async handle(_req, res, { path }) {
        const release = await deps.call(rollbackReleaseRpc, {
          tenantId: principalOf(res).tenantId,
          app: path.app,
          version: path.version,
        });
        res.json({ release });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/apps/{app}/events',
      async handle(_req, res, { path, query }) {
        res.json(
          await deps.call(listAppEventsRpc, { tenantId: principalOf(res).tenantId, app: path.app, limit: query.limit }),
        );
      },
    }),
    defineRoute({
      method: 'get',
      path: '/apps/{app}/drift',
      async handle(_req, res, { path }) {
        res.json(await deps.call(appDriftRpc, { tenantId: principalOf(res).tenantId, app: path.app }));
      },
    }),
  ];
}
