import type { Service } from '@aws-sdk/client-ecs';
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { ProviderError } from '../../core/compute';
import type {
  ContainerDistrict,
  EnsureServiceInput,
  LiveServiceState,
  ServiceKey,
  ServiceRef,
} from '../container-platform';
import { serviceNameOf } from '../names';
import { callAws } from './aws-call';
import type { AwsContainerClients } from './aws-container-clients';
import { describeLoadBalancer } from './aws-load-balancer';
import { describeContainer } from './aws-task-definitions';

/** The ECS service `<app>-<service>`, in any status, or undefined when ECS has never heard of it. */
export async function findService(
  clients: AwsContainerClients,
  cluster: string,
  key: ServiceKey,
): Promise<Service | undefined> {
  const described = await callAws('ECS DescribeServices', () =>
    clients.ecs.send(new DescribeServicesCommand({ cluster, services: [serviceNameOf(key)] })),
  );
  return described.services?.[0];
}

/**
 * Client errors that are races, not mistakes: ECS refuses a create whose name another create holds (a concurrent
 * deploy's, or a service of that name still DRAINING) with InvalidParameterException "…not idempotent", and an
 * update of a service that stopped being ACTIVE after it was read with ServiceNotActiveException. Both clear up: the
 * step's retry reads the service again and updates or creates it.
 */
async function retryingRaces<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const race =
      error instanceof ProviderError &&
      (error.code === 'ServiceNotActiveException' ||
        (error.code === 'InvalidParameterException' && /not idempotent/i.test(error.message)));
    if (!race) throw error;
    throw new ProviderError(error.message, { retryable: true, cause: error.cause, code: error.code });
  }
}

/**
 * UpdateService when the service is ACTIVE, else CreateService with the caller's client token: ECS answers a
 * retried create (same token, same parameters) with the service the first try made, never a second one.
 */
export async function ensureService(
  clients: AwsContainerClients,
  district: ContainerDistrict,
  input: EnsureServiceInput,
): Promise<ServiceRef> {
  const cluster = district.name;
  const name = serviceNameOf(input);
  const existing = await findService(clients, cluster, input);
  if (existing?.status === 'ACTIVE') {
    const updated = await retryingRaces(() =>
      callAws('ECS UpdateService', () =>
        clients.ecs.send(
          new UpdateServiceCommand({
            cluster,
            service: name,
            taskDefinition: input.taskDefinition,
            desiredCount: input.desiredCount,
          }),
        ),
      ),
    );
    return { name, id: updated.service?.serviceArn ?? name, created: false };
  }
  const balancer = input.loadBalancer;
  const created = await retryingRaces(() =>
    callAws('ECS CreateService', () =>
      clients.ecs.send(
        new CreateServiceCommand({
          cluster,
          serviceName: name,
          taskDefinition: input.taskDefinition,
          desiredCount: input.desiredCount,
          clientToken: input.clientToken.slice(0, 36),
          ...(balancer
            ? {
                loadBalancers: [
                  {
                    loadBalancerName: balancer.name,
                    containerName: balancer.containerName,
                    containerPort: balancer.containerPort,
                  },
                ],
                role: district.ecsServiceRole,
              }
            : {}),
        }),
      ),
    ),
  );
  return { name, id: created.service?.serviceArn ?? name, created: true };
}

export async function scaleService(
  clients: AwsContainerClients,
  cluster: string,
  key: ServiceKey,
  desiredCount: number,
): Promise<void> {
  const existing = await findService(clients, cluster, key);
  if (existing?.status !== 'ACTIVE') {
    throw new ProviderError(`no active ECS service ${serviceNameOf(key)}`, {
      retryable: false,
      code: 'SERVICE_NOT_FOUND',
    });
  }
  await callAws('ECS UpdateService', () =>
    clients.ecs.send(new UpdateServiceCommand({ cluster, service: serviceNameOf(key), desiredCount })),
  );
}

/** The live service, its task definition's container and its balancer's listeners, for status and drift. */
export async function describeService(
  clients: AwsContainerClients,
  cluster: string,
  key: ServiceKey,
): Promise<LiveServiceState | null> {
  const service = await findService(clients, cluster, key);
  if (!service) return null;
  const taskDefinition = service.taskDefinition ?? '';
  const container = taskDefinition ? await describeContainer(clients, taskDefinition) : undefined;
  const balancerName = service.loadBalancers?.[0]?.loadBalancerName;
  const balancer = balancerName ? await describeLoadBalancer(clients, balancerName) : undefined;
  return {
    ...key,
    name: service.serviceName ?? serviceNameOf(key),
    status: service.status ?? 'UNKNOWN',
    desiredCount: service.desiredCount ?? 0,
    runningCount: service.runningCount ?? 0,
    taskDefinition,
    image: container?.image ?? null,
    command: container?.command?.join(' ') ?? null,
    envKeys: (container?.environment ?? []).flatMap((variable) => (variable.name ? [variable.name] : [])).sort(),
    deployments: (service.deployments ?? []).map((deployment) => ({
      status: deployment.status ?? 'UNKNOWN',
      taskDefinition: deployment.taskDefinition ?? '',
      desiredCount: deployment.desiredCount ?? 0,
      runningCount: deployment.runningCount ?? 0,
    })),
    loadBalancer: balancer
      ? {
          name: balancer.LoadBalancerName ?? '',
          dnsName: balancer.DNSName ?? '',
          listeners: (balancer.ListenerDescriptions ?? []).map(({ Listener }) => ({
            protocol: Listener?.Protocol ?? '',
            lbPort: Listener?.LoadBalancerPort ?? 0,
            instancePort: Listener?.InstancePort ?? 0,
          })),
        }
      : null,
  };
}

/** Barcelona's delete: scale to 0, then delete the service; one that is not ACTIVE is already on its way out. */
export async function deleteEcsService(clients: AwsContainerClients, cluster: string, key: ServiceKey): Promise<void> {
  const existing = await findService(clients, cluster, key);
  if (existing?.status !== 'ACTIVE') return;
  const service = serviceNameOf(key);
  await callAws('ECS UpdateService', () =>
    clients.ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 })),
  );
  await callAws('ECS DeleteService', () => clients.ecs.send(new DeleteServiceCommand({ cluster, service })));
}
