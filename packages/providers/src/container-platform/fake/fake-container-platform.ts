import { ProviderError } from '../../core/compute';
import type { FaultKind, FaultOptions } from '../../fake/fault-plan';
import { createFaultPlan, faultError } from '../../fake/fault-plan';
import type { ContainerPlatform, DistrictPlatform, ServiceKey, TaskState } from '../container-platform';
import { loadBalancerNameOf, recordNameOf, serviceNameOf } from '../names';
import type { FakeCluster, FakeDrift } from './fake-cluster';
import { createFakeCluster, describeFakeService, findTaskDefinition } from './fake-cluster';

export type FakeContainerMethod = keyof DistrictPlatform;

const readOnly = new Set<FakeContainerMethod>(['listContainerInstances', 'describeService', 'describeTask']);

export interface FakeContainerOptions extends FaultOptions {
  name?: string;
  /** Delay of every call: fixed, or drawn (seeded) from a range. */
  latencyMs?: number | { min: number; max: number };
  /** How long a created or updated service stays `deploying`, measured with `now`. */
  rolloutMs?: number;
  /** How long a task runs before it stops. */
  taskMs?: number;
  /** A task's exit code and output from its command (default: exit 0, no output). */
  taskOutcome?: (command: string | null) => { exitCode: number; output: string };
  /** Zone the services' DNS records go in. */
  zoneName?: string;
  now?: () => number;
}

/** Resources actually made, per kind: a retried call that found its resource does not count. */
export interface FakeCreations {
  services: number;
  loadBalancers: number;
  records: number;
  tasks: number;
}

export interface FakeContainerPlatform extends ContainerPlatform {
  readonly calls: Readonly<Record<string, number>>;
  readonly creations: Readonly<FakeCreations>;
  /** Make the next `times` calls of `method` fail (`lost-response`: do the work, then fail). */
  failNext(method: FakeContainerMethod, options?: { kind?: FaultKind; times?: number; retryable?: boolean }): void;
  /** Change a service behind Overcast's back, as an operator in the AWS console would. */
  editService(district: string, key: ServiceKey, drift: FakeDrift): void;
  /** A district's resources, for assertions. */
  cluster(district: string): FakeCluster;
}

/** A deterministic in-memory container platform for tests and benchmarks, idempotent on names like ECS. */
export function createFakeContainerPlatform(options: FakeContainerOptions = {}): FakeContainerPlatform {
  const now = options.now ?? Date.now;
  const rolloutMs = options.rolloutMs ?? 0;
  const zone = options.zoneName ?? 'overcast.fake.';
  const faults = createFaultPlan<FakeContainerMethod>(options, (method) => !readOnly.has(method));
  const clusters = new Map<string, FakeCluster>();
  const calls: Record<string, number> = {};
  const creations: FakeCreations = { services: 0, loadBalancers: 0, records: 0, tasks: 0 };
  let sequence = 0;

  const clusterOf = (name: string): FakeCluster => {
    let cluster = clusters.get(name);
    if (!cluster) clusters.set(name, (cluster = createFakeCluster()));
    return cluster;
  };

  async function call<T>(method: FakeContainerMethod, work: () => T): Promise<T> {
    calls[method] = (calls[method] ?? 0) + 1;
    const latency = options.latencyMs;
    const delay = typeof latency === 'number' ? latency : latency ? faults.randomBetween(latency.min, latency.max) : 0;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const fault = faults.next(method);
    if (fault?.kind === 'error') throw faultError(method, 'error', fault.retryable);
    const result = work();
    if (fault?.kind === 'lost-response') throw faultError(method, 'lost-response', fault.retryable);
    return result;
  }

  function taskView(task: { state: TaskState; startedAt: number }): TaskState {
    const done = now() - task.startedAt >= (options.taskMs ?? 0);
    return done ? { ...task.state } : { ...task.state, status: 'RUNNING', exitCode: null, reason: null, output: '' };
  }

  function bind(district: string): DistrictPlatform {
    const cluster = clusterOf(district);
    const requireCluster = () => {
      if (!cluster.exists) {
        throw new ProviderError(`fake: cluster ${district} not found`, { retryable: false, code: 'CLUSTER_NOT_FOUND' });
      }
    };
    const activeService = (key: ServiceKey) => {
      const service = cluster.services.get(serviceNameOf(key));
      return service?.status === 'ACTIVE' ? service : undefined;
    };

    return {
      ensureCluster: () =>
        call('ensureCluster', () => {
          cluster.exists = true;
        }),
      deleteCluster: () =>
        call('deleteCluster', () => {
          cluster.exists = false;
        }),
      listContainerInstances: () =>
        call('listContainerInstances', () =>
          cluster.exists
            ? [
                {
                  id: `${district}-fake-instance`,
                  instanceId: null,
                  status: 'ACTIVE',
                  runningTasks: 0,
                  pendingTasks: 0,
                },
              ]
            : [],
        ),
      registerTaskDefinition: (input) =>
        call('registerTaskDefinition', () => {
          const family = serviceNameOf(input);
          const revisions = cluster.taskDefinitions.get(family) ?? [];
          revisions.push(structuredClone(input));
          cluster.taskDefinitions.set(family, revisions);
          return { family, revision: revisions.length, id: `${family}:${revisions.length}` };
        }),
      ensureLoadBalancer: (input) =>
        call('ensureLoadBalancer', () => {
          requireCluster();
          const name = loadBalancerNameOf(input);
          const [first] = input.portMappings;
          if (!first) {
            throw new ProviderError('fake: a load balancer needs a port mapping', {
              retryable: false,
              code: 'INVALID',
            });
          }
          const recordName = recordNameOf(input, zone);
          const existing = cluster.loadBalancers.get(name);
          const dnsName = existing?.dnsName ?? `${name}-${(sequence += 1)}.elb.fake`;
          const ref = {
            name,
            dnsName,
            recordName,
            containerName: input.service,
            containerPort: first.containerPort,
            public: input.public,
            listeners: input.portMappings.map((mapping) => ({
              protocol: 'TCP',
              lbPort: mapping.lbPort,
              instancePort: mapping.hostPort,
            })),
          };
          if (!existing) creations.loadBalancers += 1;
          cluster.loadBalancers.set(name, ref);
          if (!cluster.records.has(recordName)) creations.records += 1;
          cluster.records.set(recordName, dnsName);
          const { public: _public, listeners: _listeners, ...loadBalancer } = ref;
          return loadBalancer;
        }),
      ensureService: (input) =>
        call('ensureService', () => {
          requireCluster();
          if (!findTaskDefinition(cluster, input.taskDefinition)) {
            throw new ProviderError(`fake: no task definition ${input.taskDefinition}`, {
              retryable: false,
              code: 'TASK_DEFINITION_NOT_FOUND',
            });
          }
          const name = serviceNameOf(input);
          const existing = activeService(input);
          if (existing) {
            existing.previous = { taskDefinition: existing.taskDefinition, desiredCount: existing.desiredCount };
            existing.taskDefinition = input.taskDefinition;
            existing.desiredCount = input.desiredCount;
            existing.deployedAt = now();
            existing.drift = {};
            return { name, id: `fake:service/${district}/${name}`, created: false };
          }
          creations.services += 1;
          cluster.services.set(name, {
            name,
            app: input.app,
            service: input.service,
            status: 'ACTIVE',
            taskDefinition: input.taskDefinition,
            desiredCount: input.desiredCount,
            deployedAt: now(),
            previous: null,
            loadBalancer: input.loadBalancer ?? null,
            clientToken: input.clientToken,
            drift: {},
          });
          return { name, id: `fake:service/${district}/${name}`, created: true };
        }),
      scaleService: (key, desiredCount) =>
        call('scaleService', () => {
          const service = activeService(key);
          if (!service) {
            throw new ProviderError(`fake: no service ${serviceNameOf(key)}`, {
              retryable: false,
              code: 'SERVICE_NOT_FOUND',
            });
          }
          service.desiredCount = desiredCount;
          delete service.drift.desiredCount;
        }),
      describeService: (key) =>
        call('describeService', () => {
          const service = cluster.services.get(serviceNameOf(key));
          return service ? describeFakeService(cluster, service, now(), rolloutMs) : null;
        }),
      deleteService: (key) =>
        call('deleteService', () => {
          const name = serviceNameOf(key);
          cluster.services.delete(name);
          cluster.loadBalancers.delete(loadBalancerNameOf(key));
          cluster.records.delete(recordNameOf(key, zone));
          cluster.schedules.delete(name);
        }),
      runTask: (input) =>
        call('runTask', () => {
          requireCluster();
          const known = cluster.tasksByToken.get(input.clientToken);
          const knownTask = known ? cluster.tasks.get(known) : undefined;
          if (knownTask) return taskView(knownTask);
          const definition = findTaskDefinition(cluster, input.taskDefinition);
          if (!definition) {
            throw new ProviderError(`fake: no task definition ${input.taskDefinition}`, {
              retryable: false,
              code: 'TASK_DEFINITION_NOT_FOUND',
            });
          }
          const command = input.command ?? definition.command;
          const outcome = options.taskOutcome?.(command) ?? { exitCode: 0, output: '' };
          creations.tasks += 1;
          const id = `fake:task/${district}/${creations.tasks}`;
          const task = {
            input: structuredClone(input),
            startedAt: now(),
            state: {
              id,
              status: 'STOPPED' as const,
              exitCode: outcome.exitCode,
              reason: 'Essential container in task exited',
              output: outcome.output,
            },
          };
          cluster.tasks.set(id, task);
          cluster.tasksByToken.set(input.clientToken, id);
          return taskView(task);
        }),
      describeTask: (id) =>
        call('describeTask', () => {
          const task = cluster.tasks.get(id);
          return task ? taskView(task) : null;
        }),
      scheduleTask: (input) =>
        call('scheduleTask', () => {
          const name = serviceNameOf(input);
          cluster.schedules.set(name, structuredClone(input));
          return { name, triggeredBy: 'overcast' as const };
        }),
      unscheduleTask: (key) =>
        call('unscheduleTask', () => {
          cluster.schedules.delete(serviceNameOf(key));
        }),
    };
  }

  return {
    name: options.name ?? 'fake',
    forDistrict: (district) => bind(district.name),
    calls,
    creations,
    failNext(method, { kind = 'error', times = 1, retryable = true } = {}) {
      faults.script(method, kind, times, retryable);
    },
    editService(district, key, drift) {
      const service = clusterOf(district).services.get(serviceNameOf(key));
      if (!service) throw new Error(`fake: no service ${serviceNameOf(key)} in ${district}`);
      Object.assign(service.drift, drift);
    },
    cluster: clusterOf,
  };
}
