import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import type { TaskDefinitionInput, TaskDefinitionRef } from '../container-platform';
import { commandWordsOf, serviceNameOf } from '../names';
import { callAws } from './aws-call';
import type { AwsContainerClients } from './aws-container-clients';

/**
 * Barcelona's container definition: named after the service, the app's image, the command split on spaces,
 * host port mappings, the release's env vars, logs to the instance's syslog tagged with the service name.
 */
export function containerDefinitionOf(input: TaskDefinitionInput): ContainerDefinition {
  return {
    name: input.service,
    image: input.image,
    cpu: input.cpu,
    memory: input.memory,
    essential: true,
    command: commandWordsOf(input.command),
    portMappings: input.portMappings.map((mapping) => ({
      containerPort: mapping.containerPort,
      hostPort: mapping.hostPort,
    })),
    environment: Object.entries(input.env).map(([name, value]) => ({ name, value })),
    dockerLabels: { 'overcast.release': String(input.release) },
    logConfiguration: {
      logDriver: 'syslog',
      options: { 'syslog-address': 'tcp://127.0.0.1:514', tag: input.service },
    },
  };
}

export async function registerTaskDefinition(
  clients: AwsContainerClients,
  input: TaskDefinitionInput,
): Promise<TaskDefinitionRef> {
  const family = serviceNameOf(input);
  const registered = await callAws('ECS RegisterTaskDefinition', () =>
    clients.ecs.send(
      new RegisterTaskDefinitionCommand({ family, containerDefinitions: [containerDefinitionOf(input)] }),
    ),
  );
  const definition = registered.taskDefinition;
  return {
    family,
    revision: definition?.revision ?? 0,
    id: definition?.taskDefinitionArn ?? `${family}:${definition?.revision ?? 0}`,
  };
}

/**
 * A revision of a task definition never changes, so what DescribeTaskDefinition said of one is kept (per district's
 * clients, at most 1,000 revisions): a deploy's monitor describes its service every few seconds, and each look
 * would otherwise cost one more ECS call against the account's rate limit.
 */
const containersByClients = new WeakMap<AwsContainerClients, Map<string, ContainerDefinition | undefined>>();
const cachedRevisions = 1_000;

/** The one container of a task definition Overcast registered, for drift. */
export async function describeContainer(
  clients: AwsContainerClients,
  taskDefinition: string,
): Promise<ContainerDefinition | undefined> {
  let cache = containersByClients.get(clients);
  if (!cache) containersByClients.set(clients, (cache = new Map()));
  if (cache.has(taskDefinition)) return cache.get(taskDefinition);
  const described = await callAws('ECS DescribeTaskDefinition', () =>
    clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition })),
  );
  const container = described.taskDefinition?.containerDefinitions?.[0];
  if (cache.size >= cachedRevisions) cache.clear();
  cache.set(taskDefinition, container);
  return container;
}

/** `<app>-<service>` from a task definition's ARN or `family:revision`, and the container name (`<service>`). */
export function containerNameOf(app: string, taskDefinition: string): string {
  const family = (taskDefinition.split('/').pop() ?? '').split(':')[0] ?? '';
  return family.startsWith(`${app}-`) ? family.slice(app.length + 1) : family;
}
