import { getInitScriptRpc } from '@overcast/contracts';
import { defineRoute, type RouteDefinition } from '../route-definition';
import type { RpcClient } from '../rpc-client';
import { actAsBuildCaller, type BuildCallerDeps } from './build-caller';

/** GET /init-scripts/{build_id}, fetched by booting instances with their build's Basic `x:<secret>` (or by a person with a token). */
export function initScriptRoutes(deps: BuildCallerDeps & { call: RpcClient }): RouteDefinition[] {
  return [
    defineRoute({
      method: 'get',
      path: '/init-scripts/{build_id}',
      async handle(req, res, { path }) {
        const { script } = await actAsBuildCaller(deps, req, res, (credentials) =>
          deps.call(getInitScriptRpc, { buildId: path.build_id, ...credentials }),
        );
        res.type('text/x-shellscript; charset=utf-8').send(script);
      },
    }),
  ];
}
