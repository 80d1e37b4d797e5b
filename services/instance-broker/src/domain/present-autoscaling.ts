import type { AutoscalingGroupBuild } from '@overcast/contracts';
import type { AutoscalingGroupBuildRecord } from './autoscaling-records';

/** A build on the wire: its progress (step, policy ARNs) and tenant stay inside. */
export function presentAutoscalingGroupBuild(record: AutoscalingGroupBuildRecord): AutoscalingGroupBuild {
  const {
    tenantId: _tenant,
    step: _step,
    scaleOutPolicyArn: _out,
    scaleInPolicyArn: _in,
    createdAt,
    updatedAt,
    ...fields
  } = record;
  return { ...fields, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString() };
}
