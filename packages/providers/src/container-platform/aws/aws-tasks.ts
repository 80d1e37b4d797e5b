import type { Task } from '@aws-sdk/client-ecs';
import { DescribeTasksCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { ProviderError } from '../../core/compute';
import type { RunTaskInput, TaskState, TaskStatus } from '../container-platform';
import { commandWordsOf } from '../names';
import { callAws } from './aws-call';
import type { AwsContainerClients } from './aws-container-clients';
import { containerNameOf } from './aws-task-definitions';

function taskStateOf(task: Task): TaskState {
  const status = (['PENDING', 'RUNNING', 'STOPPED'] as const).find((known) => known === task.lastStatus);
  const container = task.containers?.[0];
  return {
    id: task.taskArn ?? '',
    // ECS's intermediate states (PROVISIONING, ACTIVATING, DEACTIVATING, STOPPING …) read as PENDING or RUNNING.
    status: status ?? ((task.desiredStatus === 'STOPPED' ? 'RUNNING' : 'PENDING') satisfies TaskStatus),
    exitCode: container?.exitCode ?? null,
    reason: container?.reason ?? task.stoppedReason ?? null,
    output: null,
  };
}

/** RunTask with the command (split on spaces) and env as overrides; the client token makes a retry start nothing new. */
export async function runTask(clients: AwsContainerClients, cluster: string, input: RunTaskInput): Promise<TaskState> {
  const environment = Object.entries(input.env ?? {}).map(([name, value]) => ({ name, value }));
  const command = commandWordsOf(input.command);
  const started = await callAws('ECS RunTask', () =>
    clients.ecs.send(
      new RunTaskCommand({
        cluster,
        taskDefinition: input.taskDefinition,
        count: 1,
        startedBy: input.app.slice(0, 36),
        clientToken: input.clientToken.slice(0, 64),
        overrides: {
          containerOverrides: [
            {
              name: containerNameOf(input.app, input.taskDefinition),
              ...(command ? { command } : {}),
              ...(environment.length > 0 ? { environment } : {}),
            },
          ],
        },
      }),
    ),
  );
  const [task] = started.tasks ?? [];
  if (task) return taskStateOf(task);
  const failure = started.failures?.[0];
  throw new ProviderError(`ECS RunTask placed no task: ${failure?.reason ?? 'no reason given'}`, {
    // RESOURCE:MEMORY / RESOURCE:CPU / AGENT clear up when capacity comes; the app manager retries.
    retryable: true,
    code: failure?.reason ?? 'NO_TASK_PLACED',
  });
}

export async function describeTask(
  clients: AwsContainerClients,
  cluster: string,
  id: string,
): Promise<TaskState | null> {
  const described = await callAws('ECS DescribeTasks', () =>
    clients.ecs.send(new DescribeTasksCommand({ cluster, tasks: [id] })),
  );
  const task = described.tasks?.[0];
  return task ? taskStateOf(task) : null;
}
