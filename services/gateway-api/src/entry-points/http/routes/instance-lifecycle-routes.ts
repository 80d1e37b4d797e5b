import {
  AppError,
  heartbeatInstanceRpc,
  reportInstanceLifecycleRpc,
  type InstanceLifecycleTransition,
} from '@overcast/contracts';
import { defineRoute, type RouteDefinition } from '../route-definition';
import type { RpcClient } from '../rpc-client';
import { actAsBuildCaller, type BuildCallerDeps } from './build-caller';
import { given } from './forwarded-values';
import { instanceToWire } from '../wire/instance-wire';

/**
 * pudding's POST /instance-launches/{build_id} and /instance-terminations/{build_id}: the hooks its init scripts
 * write call these with the build's credentials in the URL and `{"instance_id": …}` (curl -d, so labelled a form).
 * POST /instance-heartbeats/{build_id} takes a real form (`instance-id`, or the query's) and answers the instance.
 */
export function instanceLifecycleRoutes(deps: BuildCallerDeps & { call: RpcClient }): RouteDefinition[] {
  const report = (transition: InstanceLifecycleTransition) =>
    async function handle(
      req: Parameters<RouteDefinition['handle']>[0],
      res: Parameters<RouteDefinition['handle']>[1],
      input: { path: { build_id: string }; query: { 'slack-channel'?: string }; body: { instance_id?: string } },
    ): Promise<void> {
      const { instanceId } = await actAsBuildCaller(deps, req, res, (credentials) =>
        deps.call(reportInstanceLifecycleRpc, {
          buildId: input.path.build_id,
          ...credentials,
          transition,
          instanceId: input.body.instance_id ?? '',
          slackChannel: given(input.query['slack-channel']),
        }),
      );
      res.json({ yay: instanceId });
    };
  return [
    defineRoute({ method: 'post', path: '/instance-launches/{build_id}', handle: report('launching') }),
    defineRoute({ method: 'post', path: '/instance-terminations/{build_id}', handle: report('terminating') }),
    defineRoute({
      method: 'post',
      path: '/instance-heartbeats/{build_id}',
      async handle(req, res, { body, path, query }) {
        const instanceId = given(body?.['instance-id']) ?? given(query['instance-id']);
        if (!instanceId) {
          throw new AppError('bad_request', 'The request is invalid.', {
            details: [{ path: 'body.instance-id', message: 'empty "instance-id" param' }],
          });
        }
        const { instance, expectedState } = await actAsBuildCaller(deps, req, res, (credentials) =>
          deps.call(heartbeatInstanceRpc, { buildId: path.build_id, ...credentials, instanceId }),
        );
        res.json({ ...instanceToWire(instance), expected_state: expectedState });
      },
    }),
  ];
}
