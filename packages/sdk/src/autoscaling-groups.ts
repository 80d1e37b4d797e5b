import { OvercastApiError } from './errors/api-errors.ts';
import type { ApiContext } from './http.ts';
import { expectSuccess } from './http.ts';
import type { RequestOptions } from './transport/send-with-retries.ts';
import type { AutoscalingGroupBuild, AutoscalingGroupBuildInput } from './types.ts';

export interface AutoscalingGroupsApi {
  /**
   * Builds an autoscaling group from one of the tenant's running instances (pudding's autoscaling group build):
   * answers the pending build at once; its group, policies, alarms and lifecycle hooks are made by a job. An
   * instance on a provider without autoscaling groups (local, gce) is refused (422). Not retried after a 503 or a
   * broken connection, like instance builds.
   */
  create(input: AutoscalingGroupBuildInput, options?: RequestOptions): Promise<AutoscalingGroupBuild>;
}

export function createAutoscalingGroupsApi({ http, call }: ApiContext): AutoscalingGroupsApi {
  return {
    async create(input, options) {
      const pending = http.POST('/autoscaling-group-builds', {
        body: { autoscaling_group_builds: input },
        ...call(options),
      });
      const [build] = (await expectSuccess(pending)).autoscaling_group_builds;
      if (build === undefined) {
        const { response } = await pending;
        throw new OvercastApiError({
          status: response.status,
          code: 'internal',
          message: 'the server answered no autoscaling group build',
        });
      }
      return build;
    },
  };
}
