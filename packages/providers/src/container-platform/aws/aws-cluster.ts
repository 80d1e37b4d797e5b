import {
  CreateClusterCommand,
  DeleteClusterCommand,
  DescribeContainerInstancesCommand,
  ListContainerInstancesCommand,
} from '@aws-sdk/client-ecs';
import type { ContainerInstance } from '../container-platform';
import { callAws, unlessAws } from './aws-call';
import type { AwsContainerClients } from './aws-container-clients';

/** CreateCluster answers with the existing cluster when it is there: idempotent as it stands. */
export async function ensureCluster(clients: AwsContainerClients, cluster: string): Promise<void> {
  await callAws('ECS CreateCluster', () => clients.ecs.send(new CreateClusterCommand({ clusterName: cluster })));
}

export async function deleteCluster(clients: AwsContainerClients, cluster: string): Promise<void> {
  await unlessAws(['ClusterNotFoundException'], undefined, async () => {
    await callAws('ECS DeleteCluster', () => clients.ecs.send(new DeleteClusterCommand({ cluster })));
  });
}

/** The cluster's registered container instances (Barcelona's district `container_instances`). */
export async function listContainerInstances(
  clients: AwsContainerClients,
  cluster: string,
): Promise<ContainerInstance[]> {
  const arns = await unlessAws(['ClusterNotFoundException'], [] as string[], async () => {
    const listed = await callAws('ECS ListContainerInstances', () =>
      clients.ecs.send(new ListContainerInstancesCommand({ cluster })),
    );
    return listed.containerInstanceArns ?? [];
  });
  if (arns.length === 0) return [];
  const described = await callAws('ECS DescribeContainerInstances', () =>
    clients.ecs.send(new DescribeContainerInstancesCommand({ cluster, containerInstances: arns })),
  );
  return (described.containerInstances ?? []).map((instance) => ({
    id: instance.containerInstanceArn ?? '',
    instanceId: instance.ec2InstanceId ?? null,
    status: instance.status ?? 'UNKNOWN',
    runningTasks: instance.runningTasksCount ?? 0,
    pendingTasks: instance.pendingTasksCount ?? 0,
  }));
}
