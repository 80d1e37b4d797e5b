import type {
  LiveServiceState,
  LoadBalancerRef,
  RunTaskInput,
  ScheduleTaskInput,
  TaskDefinitionInput,
  TaskState,
} from '../container-platform';

export interface FakeService {
  name: string;
  app: string;
  service: string;
  status: 'ACTIVE' | 'INACTIVE';
  taskDefinition: string;
  desiredCount: number;
  /** When the current deployment started, measured with the fake's `now`. */
  deployedAt: number;
  /** The deployment the current one replaces, drained once the rollout is done. */
  previous: { taskDefinition: string; desiredCount: number } | null;
  loadBalancer: LoadBalancerRef | null;
  clientToken: string;
  /** A change made behind Overcast's back (a console edit), shown by describe over the real state. */
  drift: FakeDrift;
}

/** What a console edit may change, for drift tests. */
export type FakeDrift = Partial<
  Pick<LiveServiceState, 'desiredCount' | 'taskDefinition' | 'image' | 'command' | 'envKeys'>
> & { listeners?: { protocol: string; lbPort: number; instancePort: number }[] };

export interface FakeTask {
  input: RunTaskInput;
  state: TaskState;
  startedAt: number;
}

/** One district's resources in the fake. */
export interface FakeCluster {
  exists: boolean;
  /** Revisions per family, in order (revision n at index n - 1). */
  taskDefinitions: Map<string, TaskDefinitionInput[]>;
  services: Map<string, FakeService>;
  loadBalancers: Map<string, LoadBalancerRef & { public: boolean; listeners: FakeDrift['listeners'] }>;
  /** DNS records: name → target. */
  records: Map<string, string>;
  tasks: Map<string, FakeTask>;
  /** Client token → task id, so a retried run starts nothing new. */
  tasksByToken: Map<string, string>;
  schedules: Map<string, ScheduleTaskInput>;
}

export function createFakeCluster(): FakeCluster {
  return {
    exists: false,
    taskDefinitions: new Map(),
    services: new Map(),
    loadBalancers: new Map(),
    records: new Map(),
    tasks: new Map(),
    tasksByToken: new Map(),
    schedules: new Map(),
  };
}

/** `family:revision` → the registered input, or undefined. */
export function findTaskDefinition(cluster: FakeCluster, id: string): TaskDefinitionInput | undefined {
  const [family, revision] = id.split(':');
  return cluster.taskDefinitions.get(family ?? '')?.[Number(revision) - 1];
}

/** The service as ECS would describe it `now`: rolled out after `rolloutMs`, console edits on top. */
export function describeFakeService(
  cluster: FakeCluster,
  service: FakeService,
  now: number,
  rolloutMs: number,
): LiveServiceState {
  const definition = findTaskDefinition(cluster, service.taskDefinition);
  const rolledOut = service.status !== 'ACTIVE' || now - service.deployedAt >= rolloutMs;
  const primary = {
    status: 'PRIMARY',
    taskDefinition: service.taskDefinition,
    desiredCount: service.desiredCount,
    runningCount: rolledOut ? service.desiredCount : 0,
  };
  const draining =
    !rolledOut && service.previous
      ? [{ status: 'ACTIVE', ...service.previous, runningCount: service.previous.desiredCount }]
      : [];
  const balancer = service.loadBalancer ? cluster.loadBalancers.get(service.loadBalancer.name) : undefined;
  const { listeners, ...drift } = service.drift;
  return {
    app: service.app,
    service: service.service,
    name: service.name,
    status: service.status,
    desiredCount: service.desiredCount,
    runningCount: primary.runningCount + (draining[0]?.runningCount ?? 0),
    taskDefinition: service.taskDefinition,
    image: definition?.image ?? null,
    command: definition?.command ?? null,
    envKeys: Object.keys(definition?.env ?? {}).sort(),
    deployments: [primary, ...draining],
    loadBalancer: balancer
      ? { name: balancer.name, dnsName: balancer.dnsName, listeners: listeners ?? balancer.listeners ?? [] }
      : null,
    ...drift,
  };
}
