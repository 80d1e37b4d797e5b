import { hostname } from 'node:os';
import { ProviderError } from '../../core/compute';
import type { LocalImage } from '../../local/config';
import type {
  DistrictPlatform,
  ScheduleTaskInput,
  ServiceKey,
  TaskDefinitionInput,
  TaskState,
} from '../container-platform';
import { loadBalancerNameOf, serviceNameOf } from '../names';
import { createDistrictBalancers } from './district-balancers';
import type { BalancerProtocol } from './service-balancer';
import type { DistrictState } from './district-state';
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

export type LocalRuntime = Omit<ServiceTasksDeps, 'definitionOf' | 'sharedBalancerAddressOf'> & {
  images: Record<string, LocalImage>;
  balancerProtocol: BalancerProtocol;
  keptStoppedTasks: number;
  reserveAddress(address: string): void;
};

/**
 * One district on this machine: its task definitions, services, balancers, one-off tasks and schedules. `save`
 * is handed the district's desired state after every change; `restored` is what a previous run saved.
 */
export function createLocalDistrict(
  name: string,
  runtime: LocalRuntime,
  persistence: { save(state: DistrictState): void; restored?: DistrictState },
) {
  let exists = false;
  const definitions = new Map<string, TaskDefinitionInput[]>();
  const services = new Map<string, ServiceTasks>();
  const tasks = new Map<string, TaskProcess & { definition: TaskDefinitionInput }>();
  const tasksByToken = new Map<string, string>();

  /** Stopped one-offs are kept for describeTask up to a bound (each holds up to 64 KiB of output), oldest dropped. */
  function forgetOldestStoppedTasks(): void {
    const stopped = [...tasks.entries()].filter(([, task]) => task.exited);
    for (const [id] of stopped.slice(0, Math.max(0, stopped.length - runtime.keptStoppedTasks))) {
      tasks.delete(id);
      for (const [token, taskId] of tasksByToken) if (taskId === id) tasksByToken.delete(token);
    }
  }
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
  const balancers = createDistrictBalancers({ ...runtime, serviceOf });

  function save(): void {
    persistence.save({
      exists,
      definitions: Object.fromEntries(definitions),
      services: Object.fromEntries(
        [...services].map(([serviceName, service]) => [
          serviceName,
          { key: service.key, taskDefinition: service.taskDefinition, desiredCount: service.desiredCount },
        ]),
      ),
      balancers: balancers.saved(),
      schedules: Object.fromEntries(schedules),
    });
  }

  function startService(key: ServiceKey, taskDefinition: string, desiredCount: number, ready?: Promise<void>): void {
    const service = createServiceTasks(key, {
      ...runtime,
      definitionOf,
      sharedBalancerAddressOf: (service) => balancers.sharedAddressOf(service),
      ...(ready ? { ready } : {}),
    });
    services.set(serviceNameOf(key), service);
    service.update(taskDefinition, desiredCount);
  }

  const restored = persistence.restored;
  if (restored) {
    exists = restored.exists;
    for (const [family, revisions] of Object.entries(restored.definitions)) definitions.set(family, revisions);
    for (const [scheduleName, schedule] of Object.entries(restored.schedules)) schedules.set(scheduleName, schedule);
    // A restored service's tasks start once its balancer has claimed its address again (the claim refuses an
    // address anyone holds, its own tasks included).
    const restoring = new Map<string, Promise<void>>();
    for (const [balancerName, balancer] of Object.entries(restored.balancers)) {
      restoring.set(balancerName, balancers.restore(balancer));
    }
    for (const service of Object.values(restored.services)) {
      const ready = restoring.get(loadBalancerNameOf(service.key));
      startService(service.key, service.taskDefinition, service.desiredCount, ready);
    }
  }

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

  const platform: DistrictPlatform = {
    async ensureCluster() {
      exists = true;
      save();
    },
    async deleteCluster() {
      if (services.size > 0) {
        throw new ProviderError(`local: district ${name} still has services`, {
          retryable: false,
          code: 'CLUSTER_CONTAINS_SERVICES',
        });
      }
      exists = false;
      save();
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
      save();
      return { family, revision: revisions.length, id: `${family}:${revisions.length}` };
    },
    async ensureLoadBalancer(input) {
      requireCluster();
      const ref = await balancers.ensure(input);
      save();
      return ref;
    },
    async ensureService(input) {
      requireCluster();
      requireDefinition(input.taskDefinition);
      const serviceName = serviceNameOf(input);
      const id = `local:service/${name}/${serviceName}`;
      const existing = services.get(serviceName);
      if (existing) existing.update(input.taskDefinition, input.desiredCount);
      else startService(input, input.taskDefinition, input.desiredCount);
      save();
      return { name: serviceName, id, created: !existing };
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
      save();
    },
    async describeService(key) {
      const service = serviceOf(key);
      if (!service) return null;
      const definition = definitionOf(service.taskDefinition);
      const deployments = service.deployments();
      const loadBalancer = await balancers.describe(key);
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
        loadBalancer,
      };
    },
    async deleteService(key) {
      const serviceName = serviceNameOf(key);
      const service = services.get(serviceName);
      services.delete(serviceName);
      schedules.delete(serviceName);
      await Promise.all([service?.stop(), balancers.remove(key)]);
      save();
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
      forgetOldestStoppedTasks();
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
      save();
      return { name: scheduleName, triggeredBy: 'overcast' };
    },
    async unscheduleTask(key) {
      schedules.delete(serviceNameOf(key));
      save();
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
      const closing = [balancers.close()];
      await Promise.all([...running, ...stopping, ...closing]);
    },
  };
}

export type LocalDistrict = ReturnType<typeof createLocalDistrict>;
