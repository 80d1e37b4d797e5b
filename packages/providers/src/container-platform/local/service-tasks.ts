import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import type { LocalImage } from '../../local/config';
import type { ServiceDeployment, ServiceKey, TaskDefinitionInput } from '../container-platform';
import { serviceNameOf } from '../names';
import type { TaskProcess } from './task-process';
import { catalogImageOf, startTaskProcess, stopTaskProcess } from './task-process';

export interface ServiceTasksDeps {
  images: Record<string, LocalImage>;
  definitionOf(id: string): TaskDefinitionInput | undefined;
  /** The address of the service's balancer when its tasks listen on it themselves (reuse-port), else undefined. */
  sharedBalancerAddressOf(key: ServiceKey): string | undefined;
  /** A free loopback address, and back when the task is gone. */
  allocateAddress(): string;
  releaseAddress(address: string): void;
  /** Pids of live tasks, so a restarted control plane can stop what a crashed one left. */
  ledger: { record(id: string, pid: number): void; forget(id: string): void };
  restartDelayMs: number;
  probeIntervalMs: number;
  terminationGraceMs: number;
  warn(message: string): void;
  /** Start no task before this settles (a restored service waits for its balancer to claim its address). */
  ready?: Promise<void>;
}

export interface ServiceTask extends TaskProcess {
  definition: TaskDefinitionInput;
  healthy: boolean;
  /** Health checks failed in a row since it was last healthy. */
  failedChecks: number;
  stopping: boolean;
}

const maxRestartDelayMs = 30_000;
const stableAfterMs = 10_000;
/**
 * A task that was healthy and then fails this many checks in a row is replaced, as ECS replaces a task its ELB
 * finds unhealthy: a reuse-port balancer has no other way to take it out (the kernel hands it connections while it
 * listens), and an http balancer stops sending to it from the first failed check anyway.
 */
const failedChecksBeforeReplacing = 3;

/** Is something accepting connections on address:port? */
function probe(address: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, timeout: timeoutMs });
    const done = (healthy: boolean) => {
      socket.destroy();
      resolve(healthy);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/**
 * Keeps one service's tasks at its desired count of its current task definition: starts what is missing,
 * replaces a task that died (after restartDelayMs), probes each task's port like the ELB's TCP health check,
 * and stops the previous definition's tasks once the current ones are healthy (a rolling deploy).
 */
export function createServiceTasks(key: ServiceKey, deps: ServiceTasksDeps) {
  const name = serviceNameOf(key);
  const tasks = new Map<string, ServiceTask>();
  let current = { taskDefinition: '', desiredCount: 0 };
  let stopped = false;
  let restartTimer: NodeJS.Timeout | undefined;
  /** Tasks that died in a row, each soon after its start: each doubles the wait before the next replacement. */
  let deathsInARow = 0;
  /** No replacement starts before this (ms since epoch), whoever calls reconcile. */
  let restartNotBefore = 0;

  function start(definitionId: string): void {
    const definition = deps.definitionOf(definitionId);
    if (!definition) throw new Error(`local: no task definition ${definitionId}`);
    const address = deps.allocateAddress();
    const startedAt = Date.now();
    const id = `${name}-${randomUUID().slice(0, 8)}`;
    const balancerAddress = deps.sharedBalancerAddressOf(key);
    const lbPort = definition.portMappings[0]?.lbPort;
    let started: TaskProcess;
    try {
      started = startTaskProcess({
        id,
        image: catalogImageOf(deps.images, definition.image),
        definition,
        taskDefinition: definitionId,
        address,
        ...(balancerAddress && lbPort !== undefined && { balancer: { address: balancerAddress, port: lbPort } }),
      });
    } catch (error) {
      deps.releaseAddress(address);
      throw error;
    }
    const task: ServiceTask = Object.assign(started, { definition, healthy: false, failedChecks: 0, stopping: false });
    tasks.set(id, task);
    if (task.child.pid) deps.ledger.record(id, task.child.pid);
    void task.exit.then(({ code, signal }) => {
      tasks.delete(id);
      deps.ledger.forget(id);
      deps.releaseAddress(address);
      if (task.stopping || stopped) return;
      deps.warn(`local: task ${id} of ${name} exited (code ${code}, signal ${signal}); replacing it`);
      // A crash loop (a bad command, a missing file) backs off to at most maxRestartDelayMs instead of spinning.
      // A task that ran a while before dying is no crash loop: its replacement waits the least again.
      if (Date.now() - startedAt >= stableAfterMs) deathsInARow = 0;
      const delay = Math.min(deps.restartDelayMs * 2 ** deathsInARow, maxRestartDelayMs);
      deathsInARow += 1;
      restartNotBefore = Date.now() + delay;
      clearTimeout(restartTimer);
      restartTimer = setTimeout(reconcile, delay);
    });
  }

  function stopTask(task: ServiceTask): void {
    task.stopping = true;
    void stopTaskProcess(task, deps.terminationGraceMs);
  }

  let waiting = deps.ready !== undefined;
  void deps.ready?.finally(() => {
    waiting = false;
    reconcile();
  });

  function reconcile(): void {
    if (stopped || waiting) return;
    const live = [...tasks.values()].filter((task) => !task.stopping);
    const ofCurrent = live.filter((task) => task.taskDefinition === current.taskDefinition);
    // A replacement waits out its backoff; a deploy or a scale (update, scale) clears it.
    const missing = Date.now() < restartNotBefore ? 0 : current.desiredCount - ofCurrent.length;
    try {
      for (let started = 0; started < missing; started += 1) start(current.taskDefinition);
    } catch (error) {
      deps.warn(`local: could not start a task of ${name}: ${(error as Error).message}`);
    }
    // Keep the healthy, then the oldest (a stable sort keeps start order); stop the surplus.
    const kept = [...ofCurrent].sort((a, b) => Number(b.healthy) - Number(a.healthy));
    for (const task of kept.slice(current.desiredCount)) stopTask(task);
    const healthyCurrent = ofCurrent.filter((task) => task.healthy).length;
    if (healthyCurrent >= current.desiredCount) {
      for (const task of live) if (task.taskDefinition !== current.taskDefinition) stopTask(task);
    }
  }

  async function probeAll(): Promise<void> {
    await Promise.all(
      [...tasks.values()].map(async (task) => {
        const wasHealthy = task.healthy || task.failedChecks > 0;
        task.healthy = !task.exited && (task.port === null || (await probe(task.address, task.port, 500)));
        task.failedChecks = task.healthy || !wasHealthy ? 0 : task.failedChecks + 1;
        if (task.failedChecks >= failedChecksBeforeReplacing && !task.stopping) {
          deps.warn(`local: task ${task.id} of ${name} failed ${task.failedChecks} health checks; replacing it`);
          stopTask(task);
        }
      }),
    );
    reconcile();
  }

  let probing = false;
  const probeTimer = setInterval(() => {
    if (probing) return;
    probing = true;
    void probeAll().finally(() => {
      probing = false;
    });
  }, deps.probeIntervalMs);
  probeTimer.unref();

  return {
    name,
    key: { app: key.app, service: key.service },
    /** Run `desiredCount` tasks of `taskDefinition`, replacing the previous definition's once healthy. */
    update(taskDefinition: string, desiredCount: number): void {
      current = { taskDefinition, desiredCount };
      restartNotBefore = 0;
      deathsInARow = 0;
      reconcile();
    },
    scale(desiredCount: number): void {
      current = { ...current, desiredCount };
      restartNotBefore = 0;
      reconcile();
    },
    get taskDefinition() {
      return current.taskDefinition;
    },
    get desiredCount() {
      return current.desiredCount;
    },
    /** Healthy tasks of any definition: a balancer sends to both during a rolling deploy, as an ELB does. */
    healthyTasks(): ServiceTask[] {
      return [...tasks.values()].filter((task) => task.healthy && !task.stopping && !task.exited);
    },
    tasks: () => [...tasks.values()],
    deployments(): ServiceDeployment[] {
      const running = (definition: string) =>
        [...tasks.values()].filter((task) => task.taskDefinition === definition && task.healthy && !task.stopping)
          .length;
      const older = new Map<string, number>();
      for (const task of tasks.values()) {
        if (task.taskDefinition !== current.taskDefinition) older.set(task.taskDefinition, 0);
      }
      return [
        {
          status: 'PRIMARY',
          taskDefinition: current.taskDefinition,
          desiredCount: current.desiredCount,
          runningCount: running(current.taskDefinition),
        },
        ...[...older.keys()].map((definition) => ({
          status: 'ACTIVE',
          taskDefinition: definition,
          desiredCount: 0,
          runningCount: running(definition),
        })),
      ];
    },
    /** Stop every task and stop replacing them. */
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(probeTimer);
      clearTimeout(restartTimer);
      await Promise.all(
        [...tasks.values()].map((task) => {
          task.stopping = true;
          return stopTaskProcess(task, deps.terminationGraceMs);
        }),
      );
    },
  };
}

export type ServiceTasks = ReturnType<typeof createServiceTasks>;
