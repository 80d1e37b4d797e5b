import type { AutoscalingGroupBuild } from '@overcast/sdk';
import { formatDetails } from './format';
import { fieldsOf } from './json-fields';

export const autoscalingGroupBuildFields = fieldsOf<AutoscalingGroupBuild>({
  id: true,
  name: true,
  state: true,
  error_reason: true,
  instance_id: true,
  overcast_instance_id: true,
  provider: true,
  site: true,
  env: true,
  queue: true,
  role: true,
  role_arn: true,
  topic_arn: true,
  name_template: true,
  min_size: true,
  max_size: true,
  desired_capacity: true,
  default_cooldown: true,
  instance_type: true,
  slack_channel: true,
  timestamp: true,
  scale_out_cooldown: true,
  scale_out_adjustment: true,
  scale_out_metric_name: true,
  scale_out_metric_namespace: true,
  scale_out_metric_statistic: true,
  scale_out_metric_period: true,
  scale_out_metric_evaluation_periods: true,
  scale_out_metric_threshold: true,
  scale_out_metric_comparison_operator: true,
  scale_in_cooldown: true,
  scale_in_adjustment: true,
  scale_in_metric_name: true,
  scale_in_metric_namespace: true,
  scale_in_metric_statistic: true,
  scale_in_metric_period: true,
  scale_in_metric_evaluation_periods: true,
  scale_in_metric_threshold: true,
  scale_in_metric_comparison_operator: true,
  created_at: true,
});

/** One rule as a sentence: `+1 when CPUUtilization Average >= 90 over 2 × 120 s, cooldown 300 s`. */
function ruleOf(
  adjustment: number | undefined,
  metric: string | undefined,
  statistic: string | undefined,
  comparison: string | undefined,
  threshold: number | undefined,
  periods: number | undefined,
  period: number | undefined,
  cooldown: number | undefined,
): string {
  const operators: Record<string, string> = {
    GreaterThanOrEqualToThreshold: '>=',
    GreaterThanThreshold: '>',
    LessThanThreshold: '<',
    LessThanOrEqualToThreshold: '<=',
  };
  const step = adjustment !== undefined && adjustment > 0 ? `+${adjustment}` : String(adjustment);
  return `${step} when ${metric} ${statistic} ${operators[comparison ?? ''] ?? comparison} ${threshold} over ${periods} × ${period} s, cooldown ${cooldown} s`;
}

export function formatAutoscalingGroupBuild(build: AutoscalingGroupBuild): string {
  return formatDetails([
    ['id', build.id],
    ['name', build.name],
    ['state', build.state],
    ...(build.error_reason ? ([['error', build.error_reason]] as [string, unknown][]) : []),
    ['instance', `${build.instance_id} (${build.overcast_instance_id})`],
    ['provider', build.provider],
    ['site / env', `${build.site} / ${build.env}`],
    ['role / queue', `${build.role} / ${build.queue}`],
    ['size (min / desired / max)', `${build.min_size} / ${build.desired_capacity} / ${build.max_size}`],
    [
      'scale out',
      ruleOf(
        build.scale_out_adjustment,
        build.scale_out_metric_name,
        build.scale_out_metric_statistic,
        build.scale_out_metric_comparison_operator,
        build.scale_out_metric_threshold,
        build.scale_out_metric_evaluation_periods,
        build.scale_out_metric_period,
        build.scale_out_cooldown,
      ),
    ],
    [
      'scale in',
      ruleOf(
        build.scale_in_adjustment,
        build.scale_in_metric_name,
        build.scale_in_metric_statistic,
        build.scale_in_metric_comparison_operator,
        build.scale_in_metric_threshold,
        build.scale_in_metric_evaluation_periods,
        build.scale_in_metric_period,
        build.scale_in_cooldown,
      ),
    ],
    ['lifecycle topic', build.topic_arn],
    ['lifecycle role', build.role_arn],
    ['slack channel', build.slack_channel],
    ['created', build.created_at],
  ]);
}
