import { AwsFault } from './aws-fault';

const account = 'arn:aws:ecs:eu-west-1:123456789012';

interface SimulatedService {
  serviceArn: string;
  serviceName: string;
  clientToken: string;
  status: string;
  taskDefinition: string;
  desiredCount: number;
  loadBalancers: unknown[];
}

/**
 * ECS as its documented answers show it, for the calls the aws container platform makes: CreateService is
 * idempotent on clientToken (the same token answers the service it made; another token for an ACTIVE name is
 * refused as not idempotent), RunTask on clientToken; a service runs its desired count at once and a task has
 * stopped with exit code 0 by the first DescribeTasks.
 */
export function createEcsSimulator() {
  const services = new Map<string, SimulatedService>();
  const taskDefinitions = new Map<string, Record<string, unknown>>();
  const revisions = new Map<string, number>();
  const tasks = new Map<string, { taskArn: string }>();
  const created = { services: 0, tasks: 0, clusters: 0 };
  const clusters = new Set<string>();
  /** CreateService calls refused because another token already made the name: what a duplicate attempt looks like. */
  let refusedCreates = 0;

  const serviceView = (service: SimulatedService) => ({
    ...service,
    runningCount: service.desiredCount,
    deployments: [
      {
        status: 'PRIMARY',
        taskDefinition: service.taskDefinition,
        desiredCount: service.desiredCount,
        runningCount: service.desiredCount,
      },
    ],
  });

  function answer(operation: string, input: Record<string, unknown>): unknown {
    const cluster = String(input.cluster ?? input.clusterName ?? 'default');
    switch (operation) {
      case 'CreateCluster':
        if (!clusters.has(cluster)) created.clusters += 1;
        clusters.add(cluster);
        return { cluster: { clusterName: cluster, clusterArn: `${account}:cluster/${cluster}`, status: 'ACTIVE' } };
      case 'RegisterTaskDefinition': {
        const family = String(input.family);
        const revision = (revisions.get(family) ?? 0) + 1;
        revisions.set(family, revision);
        const definition = {
          ...input,
          revision,
          taskDefinitionArn: `${account}:task-definition/${family}:${revision}`,
        };
        taskDefinitions.set(`${family}:${revision}`, definition);
        return { taskDefinition: definition };
      }
      case 'DescribeTaskDefinition': {
        const key = String(input.taskDefinition).split('/').pop() ?? '';
        const definition = taskDefinitions.get(key);
        if (!definition) throw new AwsFault('ClientException', 'Unable to describe task definition.');
        return { taskDefinition: definition };
      }
      case 'DescribeServices': {
        const names = (input.services as string[]).map((name) => `${cluster}/${name}`);
        const found = names.flatMap((name) => {
          const service = services.get(name);
          return service ? [serviceView(service)] : [];
        });
        return { services: found, failures: [] };
      }
      case 'CreateService': {
        const key = `${cluster}/${String(input.serviceName)}`;
        const existing = services.get(key);
        if (existing?.status === 'ACTIVE') {
          if (existing.clientToken === input.clientToken) return { service: serviceView(existing) };
          refusedCreates += 1;
          throw new AwsFault('InvalidParameterException', 'Creation of service was not idempotent.');
        }
        const service: SimulatedService = {
          serviceArn: `${account}:service/${key}`,
          serviceName: String(input.serviceName),
          clientToken: String(input.clientToken),
          status: 'ACTIVE',
          taskDefinition: String(input.taskDefinition),
          desiredCount: Number(input.desiredCount),
          loadBalancers: (input.loadBalancers as unknown[] | undefined) ?? [],
        };
        services.set(key, service);
        created.services += 1;
        return { service: serviceView(service) };
      }
      case 'UpdateService': {
        const service = services.get(`${cluster}/${String(input.service)}`);
        if (service?.status !== 'ACTIVE') throw new AwsFault('ServiceNotActiveException', 'Service was not ACTIVE.');
        if (input.taskDefinition !== undefined) service.taskDefinition = String(input.taskDefinition);
        if (input.desiredCount !== undefined) service.desiredCount = Number(input.desiredCount);
        return { service: serviceView(service) };
      }
      case 'RunTask': {
        const token = String(input.clientToken);
        let task = tasks.get(token);
        if (!task) {
          task = { taskArn: `${account}:task/${cluster}/${created.tasks + 1}` };
          tasks.set(token, task);
          created.tasks += 1;
        }
        return { tasks: [{ taskArn: task.taskArn, lastStatus: 'PENDING', desiredStatus: 'RUNNING' }], failures: [] };
      }
      case 'DescribeTasks': {
        const arns = input.tasks as string[];
        const found = [...tasks.values()].filter((task) => arns.includes(task.taskArn));
        return {
          tasks: found.map((task) => ({
            taskArn: task.taskArn,
            lastStatus: 'STOPPED',
            desiredStatus: 'STOPPED',
            containers: [{ name: 'task', exitCode: 0 }],
          })),
          failures: [],
        };
      }
      default:
        throw new AwsFault('InvalidAction', `${operation} is not simulated`);
    }
  }

  return {
    answer,
    services,
    created,
    refusedCreates: () => refusedCreates,
  };
}
