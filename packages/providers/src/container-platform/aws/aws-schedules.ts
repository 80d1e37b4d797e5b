import { DescribeClustersCommand } from '@aws-sdk/client-ecs';
import {
  DeleteRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { ProviderError } from '../../core/compute';
import type { ContainerDistrict, ScheduleRef, ScheduleTaskInput, ServiceKey } from '../container-platform';
import { commandWordsOf, serviceNameOf } from '../names';
import { eventBridgeExpressionOf, parseSchedule, ScheduleSyntaxError } from '../schedules';
import { callAws, unlessAws } from './aws-call';
import type { AwsContainerClients } from './aws-container-clients';

/**
 * The ScheduleExpression of a service's schedule (any form parseSchedule reads): written from the same sets of
 * minutes, hours and days the local scheduler fires on. The app manager refuses a schedule it cannot read before
 * it is stored; one that still reaches here unread is a deploy error, not retried.
 */
export function eventBridgeScheduleOf(schedule: string): string {
  try {
    return eventBridgeExpressionOf(parseSchedule(schedule));
  } catch (error) {
    if (!(error instanceof ScheduleSyntaxError)) throw error;
    throw new ProviderError(`schedule "${schedule}": ${error.message}`, { retryable: false, code: 'INVALID_SCHEDULE' });
  }
}

/** An EventBridge rule `<app>-<service>` running the service's task definition on the cluster at each tick. */
export async function scheduleTask(
  clients: AwsContainerClients,
  district: ContainerDistrict,
  input: ScheduleTaskInput,
): Promise<ScheduleRef> {
  const name = serviceNameOf(input);
  const RoleArn = district.scheduleRoleArn ?? district.ecsServiceRole;
  if (!RoleArn) {
    throw new ProviderError(`district ${district.name} has no role for scheduled tasks`, {
      retryable: false,
      code: 'DISTRICT_INCOMPLETE',
    });
  }
  const clusters = await callAws('ECS DescribeClusters', () =>
    clients.ecs.send(new DescribeClustersCommand({ clusters: [district.name] })),
  );
  const clusterArn = clusters.clusters?.[0]?.clusterArn;
  if (!clusterArn)
    throw new ProviderError(`no ECS cluster ${district.name}`, { retryable: false, code: 'CLUSTER_NOT_FOUND' });
  await callAws('EventBridge PutRule', () =>
    clients.events.send(
      new PutRuleCommand({ Name: name, ScheduleExpression: eventBridgeScheduleOf(input.schedule), State: 'ENABLED' }),
    ),
  );
  const command = commandWordsOf(input.command);
  const put = await callAws('EventBridge PutTargets', () =>
    clients.events.send(
      new PutTargetsCommand({
        Rule: name,
        Targets: [
          {
            Id: name,
            Arn: clusterArn,
            RoleArn,
            EcsParameters: { TaskDefinitionArn: input.taskDefinition, TaskCount: 1 },
            ...(command ? { Input: JSON.stringify({ containerOverrides: [{ name: input.service, command }] }) } : {}),
          },
        ],
      }),
    ),
  );
  if (put.FailedEntryCount) {
    const entry = put.FailedEntries?.[0];
    throw new ProviderError(`EventBridge PutTargets failed: ${entry?.ErrorCode ?? ''} ${entry?.ErrorMessage ?? ''}`, {
      retryable: true,
      code: entry?.ErrorCode ?? 'PUT_TARGETS_FAILED',
    });
  }
  return { name, triggeredBy: 'provider' };
}

/** Targets first (a rule with targets cannot be deleted); a rule already gone is success. */
export async function unscheduleTask(clients: AwsContainerClients, key: ServiceKey): Promise<void> {
  const name = serviceNameOf(key);
  await unlessAws(['ResourceNotFoundException'], undefined, async () => {
    await callAws('EventBridge RemoveTargets', () =>
      clients.events.send(new RemoveTargetsCommand({ Rule: name, Ids: [name] })),
    );
    await callAws('EventBridge DeleteRule', () => clients.events.send(new DeleteRuleCommand({ Name: name })));
  });
}
