import { createAutoscalingGroupBuildRpc } from '@overcast/contracts';
import { principalOf } from '../request-context';
import { defineRoute, type RouteDefinition } from '../route-definition';
import type { RpcClient } from '../rpc-client';
import { autoscalingGroupBuildToWire, scalingOverridesOf } from '../wire/autoscaling-wire';
import { given } from './forwarded-values';
import { puddingEmptyFieldWording } from './pudding-wording';

// pudding's Validate(), in its order and words: `instance_id`'s message alone has no "param".
const puddingWording = puddingEmptyFieldWording(
  'autoscaling_group_builds',
  ['instance_id', 'site', 'env', 'queue', 'role', 'role_arn', 'topic_arn'],
  { instance_id: 'empty "instance_id"' },
);

/** Pudding's POST /autoscaling-group-builds; answered by the instance broker, which runs the build as a job. */
export function autoscalingGroupBuildRoutes(deps: { call: RpcClient }): RouteDefinition[] {
  return [
    defineRoute({
      method: 'post',
      path: '/autoscaling-group-builds',
      rewordValidation: puddingWording,
      async handle(_req, res, { body }) {
        const build = body.autoscaling_group_builds;
        const created = await deps.call(createAutoscalingGroupBuildRpc, {
          tenantId: principalOf(res).tenantId,
          instanceId: build.instance_id,
          site: build.site,
          env: build.env,
          queue: build.queue,
          role: build.role,
          roleArn: build.role_arn,
          topicArn: build.topic_arn,
          instanceType: given(build.instance_type),
          minSize: build.min_size ?? 0,
          maxSize: build.max_size ?? 0,
          desiredCapacity: build.desired_capacity ?? 0,
          defaultCooldown: build.default_cooldown,
          slackChannel: given(build.slack_channel),
          nameTemplate: given(build.name_template),
          scaleOut: scalingOverridesOf(build, 'out'),
          scaleIn: scalingOverridesOf(build, 'in'),
        });
        res.status(202).json({ autoscaling_group_builds: [autoscalingGroupBuildToWire(created)] });
      },
    }),
  ];
}
