import type { Command } from 'commander';
import type { AutoscalingGroupBuildInput } from '@overcast/sdk';
import type { CliIo } from '../cli-io';
import { withExamples } from '../help-examples';
import { autoscalingGroupBuildFields, formatAutoscalingGroupBuild } from '../output/autoscaling-views';
import { parseNonNegativeInteger } from '../parse-options';
import { runWithContext } from './run-with-context';

interface CreateGroupFlags {
  instance: string;
  site: string;
  env: string;
  queue: string;
  role: string;
  roleArn: string;
  topicArn: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  defaultCooldown?: number;
  nameTemplate?: string;
  slackChannel?: string;
}

export function registerAutoscalingGroupCommands(program: Command, io: CliIo): void {
  const groups = withExamples(
    program
      .command('autoscaling-groups')
      .description("build autoscaling groups from running instances (pudding's; aws)"),
    'overcast autoscaling-groups create --instance i-0abc1234 --site org --env prod --queue docker --role worker \\\n' +
      '  --role-arn arn:aws:iam::123456789012:role/lifecycle --topic-arn arn:aws:sns:us-east-1:123456789012:lifecycle',
  );

  withExamples(
    groups
      .command('create')
      .description(
        'make a group from an instance, with scale-out/-in policies on CPU alarms and lifecycle hooks on an SNS topic',
      )
      .requiredOption('--instance <id>', "the instance: its id, i-<id> or its provider's id")
      .requiredOption('--site <site>', 'site, e.g. org')
      .requiredOption('--env <env>', 'environment, e.g. prod')
      .requiredOption('--queue <queue>', 'queue the instances serve, e.g. docker')
      .requiredOption('--role <role>', 'role, e.g. worker')
      .requiredOption('--role-arn <arn>', 'IAM role the lifecycle hooks publish with')
      .requiredOption('--topic-arn <arn>', 'SNS topic the lifecycle hooks announce on (subscribe /sns-messages to it)')
      .option('--min-size <n>', 'fewest instances', parseNonNegativeInteger, 1)
      .option('--max-size <n>', 'most instances', parseNonNegativeInteger, 1)
      .option('--desired-capacity <n>', 'instances to start with', parseNonNegativeInteger, 1)
      .option(
        '--default-cooldown <seconds>',
        "the group's cooldown between scaling activities, in whole seconds",
        parseNonNegativeInteger,
      )
      .option('--name-template <template>', "pudding's Go template of the group's name")
      .option('--slack-channel <channel>', 'where to announce the build'),
    'overcast autoscaling-groups create --instance i-0abc1234 --site org --env prod --queue docker --role worker \\\n' +
      '  --role-arn arn:aws:iam::123456789012:role/lifecycle --topic-arn arn:aws:sns:us-east-1:123456789012:lifecycle \\\n' +
      '  --min-size 1 --max-size 10 --json name,state',
  ).action(
    runWithContext(io, async (context, flags: CreateGroupFlags) => {
      const input: AutoscalingGroupBuildInput = {
        instance_id: flags.instance,
        site: flags.site,
        env: flags.env,
        queue: flags.queue,
        role: flags.role,
        role_arn: flags.roleArn,
        topic_arn: flags.topicArn,
        min_size: flags.minSize,
        max_size: flags.maxSize,
        desired_capacity: flags.desiredCapacity,
        ...(flags.defaultCooldown === undefined ? {} : { default_cooldown: flags.defaultCooldown }),
        ...(flags.nameTemplate === undefined ? {} : { name_template: flags.nameTemplate }),
        ...(flags.slackChannel === undefined ? {} : { slack_channel: flags.slackChannel }),
      };
      const build = await context.client().autoscalingGroups.create(input);
      await context.print(build, () => formatAutoscalingGroupBuild(build), { fields: autoscalingGroupBuildFields });
    }),
  );
}
