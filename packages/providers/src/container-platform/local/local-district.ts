import { hostname } from 'node:os';
import { ProviderError } from '../../core/compute';
import type { LocalImage } from '../../local/config';
import type {
  DistrictPlatform,
  LoadBalancerRef,
  ScheduleTaskInput,
  ServiceKey,
  TaskDefinitionInput,
  TaskState,
} from '../container-platform';
import { loadBalancerNameOf, serviceNameOf } from '../names';
import type { ServiceBalancer } from './service-balancer';
import { createServiceBalancer } from './service-balancer';
import type { ServiceTasks, ServiceTasksDeps } from './service-tasks';
import { createServiceTasks } from './service-tasks';
import type { TaskProcess } from './task-process';
import { catalogImageOf, startTaskProcess, stopTaskProcess } from './task-process';

export interface LocalTask {
  id: string;
  address: string;
  port: number | null;
  healthy: boolean;
  taskDefinition: string;
  pid: number | null;
}

export type LocalRuntime = Omit<ServiceTasksDeps, 'definitionOf'> & { images: Record<string, LocalImage> };

/** One district on this machine: its task definitions, services, balancers, one-off tasks and schedules. */
export function createLocalDistrict(name: string, runtime: LocalRuntime) {
  let exists = false;
  const definitions = new Map<string, TaskDefinitionInput[]>();
  const services = new Map<string, ServiceTasks>();
  const balancers = new Map<string, Promise<{ balancer: ServiceBalancer; ref: LoadBalancerRef }>>();
  const tasks = new Map<string, TaskProcess & { definition: TaskDefinitionInput }>();
  const tasksByToken = new Map<string, string>();
  const schedules = new Map<string, ScheduleTaskInput>();

  const definitionOf = (id: string) => {
    const [family, revision] = id.split(':');
    return definitions.get(family ?? '')?.[Number(revision) - 1];
  };
  const requireDefinition = (id: string) => {
    const definition = definitionOf(id);
    if (definition) return definition;
    throw new ProviderError(`local: no task definition ${id}`, { retryable: false, code: 'TASK_DEFINITION_NOT_FOUND' });
  };
  const requireCluster = () => {
    if (!exists)
      throw new ProviderError(`local: district ${name} not found`, { retryable: false, code: 'CLUSTER_NOT_FOUND' });
  };
  const serviceOf = (key: ServiceKey) => services.get(serviceNameOf(key));

  function taskState(task: TaskProcess): TaskState {
    return {
      id: task.id,
      status: task.exited ? 'STOPPED' : 'RUNNING',
      exitCode: task.exited ? (task.child.exitCode ?? null) : null,
      reason: task.exited
        ? task.child.signalCode
          ? `killed by ${task.child.signalCode}`
          : 'Essential container in task exited'
        : null,
      output: task.output(),
    };
  }

  async function removeBalancer(key: ServiceKey): Promise<void> {
    const lbName = loadBalancerNameOf(key);
    const pending = balancers.get(lbName);
    balancers.delete(lbName);
    const entry = await pending?.catch(() => undefined);
    if (!entry) return;
    await entry.balancer.close();
    runtime.releaseAddress(entry.balancer.address);
  }

  const platform: DistrictPlatform = {
    async ensureCluster() {
      exists = true;
    },
    async deleteCluster() {
      if (services.size > 0) {
        throw new ProviderError(`local: district ${name} still has services`, {
          retryable: false,
          code: 'CLUSTER_CONTAINS_SERVICES',
        });
      }
      exists = false;
    },
    async listContainerInstances() {
      if (!exists) return [];
      const running = [...services.values()].reduce((sum, service) => sum + service.tasks().length, 0);
      return [{ id: hostname(), instanceId: null, status: 'ACTIVE', runningTasks: running, pendingTasks: 0 }];
    },
    async registerTaskDefinition(input) {
      catalogImageOf(runtime.images, input.image);
      const family = serviceNameOf(input);
      const revisions = definitions.get(family) ?? [];
      revisions.push(structuredClone(input));
      definitions.set(family, revisions);
      return { family, revision: revisions.length, id: `${family}:${revisions.length}` };
    },
    async ensureLoadBalancer(input) {
      requireCluster();
      const lbName = loadBalancerNameOf(input);
      const [first] = input.portMappings;
      if (!first)
        throw new ProviderError('local: a load balancer needs a port mapping', { retryable: false, code: 'INVALID' });
      const existing = balancers.get(lbName);
      if (existing) {
        const entry = await existing;
        await entry.balancer.reconfigure(input.portMappings);
        return { ...entry.ref, containerPort: first.containerPort };
      }
      const address = runtime.allocateAddress();
      const balancer = createServiceBalancer({
        address,
        portMappings: input.portMappings,
        targets: () =>
          (serviceOf(input)?.healthyTasks() ?? []).map((task) => ({
            address: task.address,
            portFor: (lbPort) => task.definition.portMappings.find((mapping) => mapping.lbPort === lbPort)?.hostPort,
          })),
      });
      const ref = {
        name: lbName,
        dnsName: address,
        recordName: null,
        containerName: input.service,
        containerPort: first.containerPort,
      };
      const started = balancer.start().then(() => ({ balancer, ref }));
      balancers.set(lbName, started);
      try {
        return (await started).ref;
      } catch (error) {
        balancers.delete(lbName);
        runtime.releaseAddress(address);
        throw error;
      }
    },
    async ensureService(input) {
      requireCluster();
      requireDefinition(input.taskDefinition);
      const serviceName = serviceNameOf(input);
      const id = `local:service/${name}/${serviceName}`;
      const existing = services.get(serviceName);
      if (existing) {
        existing.update(input.taskDefinition, input.desiredCount);
        return { name: serviceName, id, created: false };
      }
      const service = createServiceTasks(input, { ...runtime, definitionOf });
      services.set(serviceName, service);
      service.update(input.taskDefinition, input.desiredCount);
      return { name: serviceName, id, created: true };
    },
    async scaleService(key, desiredCount) {
      const service = serviceOf(key);
      if (!service) {
        throw new ProviderError(`local: no service ${serviceNameOf(key)}`, {
          retryable: false,
          code: 'SERVICE_NOT_FOUND',
        });
      }
      service.scale(desiredCount);
    },
    async describeService(key) {
      const service = serviceOf(key);
      if (!service) return null;
      const definition = definitionOf(service.taskDefinition);
      const deployments = service.deployments();
      const entry = await balancers.get(loadBalancerNameOf(key))?.catch(() => undefined);
      return {
        ...key,
        name: service.name,
        status: 'ACTIVE',
        desiredCount: service.desiredCount,
        runningCount: deployments.reduce((sum, deployment) => sum + deployment.runningCount, 0),
        taskDefinition: service.taskDefinition,
        image: definition?.image ?? null,
        command: definition?.command ?? null,
        envKeys: Object.keys(definition?.env ?? {}).sort(),
        deployments,
        loadBalancer: entry
          ? { name: entry.ref.name, dnsName: entry.ref.dnsName, listeners: entry.balancer.listeners() }
          : null,
      };
    },
    async deleteService(key) {
      const serviceName = serviceNameOf(key);
      const service = services.get(serviceName);
      services.delete(serviceName);
      schedules.delete(serviceName);
      await Promise.all([service?.stop(), removeBalancer(key)]);
    },
    async runTask(input) {
      requireCluster();
      const known = tasks.get(tasksByToken.get(input.clientToken) ?? '');
      if (known) return taskState(known);
      const definition = requireDefinition(input.taskDefinition);
      const address = runtime.allocateAddress();
      const id = `${serviceNameOf(definition)}-${input.clientToken}`;
      const task = Object.assign(
        startTaskProcess({
          id,
          image: catalogImageOf(runtime.images, definition.image),
          definition: { ...definition, portMappings: [] },
          taskDefinition: input.taskDefinition,
          address,
          command: input.command,
          env: input.env,
        }),
        { definition },
      );
      tasks.set(id, task);
      tasksByToken.set(input.clientToken, id);
      if (task.child.pid) runtime.ledger.record(id, task.child.pid);
      void task.exit.then(() => {
        runtime.ledger.forget(id);
        runtime.releaseAddress(address);
      });
      return taskState(task);
    },
    async describeTask(id) {
      const task = tasks.get(id);
      return task ? taskState(task) : null;
    },
    async scheduleTask(input) {
      const scheduleName = serviceNameOf(input);
      schedules.set(scheduleName, structuredClone(input));
      return { name: scheduleName, triggeredBy: 'overcast' };
    },
    async unscheduleTask(key) {
      schedules.delete(serviceNameOf(key));
    },
  };

  return {
    platform,
    schedules,
    /** A service's running tasks, for operators and benchmarks (its tasks' own addresses). */
    tasksOf(key: ServiceKey): LocalTask[] {
      return (serviceOf(key)?.tasks() ?? []).map((task) => ({
        id: task.id,
        address: task.address,
        port: task.port,
        healthy: task.healthy,
        taskDefinition: task.taskDefinition,
        pid: task.child.pid ?? null,
      }));
    },
    /** Stop every task and balancer of the district (the provider is closing). */
    async close(): Promise<void> {
      const running = [...tasks.values()].map((task) => stopTaskProcess(task, runtime.terminationGraceMs));
      const stopping = [...services.values()].map((service) => service.stop());
      const closing = [...balancers.keys()].map(async (lbName) => {
        const entry = await balancers.get(lbName)?.catch(() => undefined);
        await entry?.balancer.close();
      });
      await Promise.all([...running, ...stopping, ...closing]);
    },
  };
}

export type LocalDistrict = ReturnType<typeof createLocalDistrict>;
