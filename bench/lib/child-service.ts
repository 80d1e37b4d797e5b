import { fork, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Servers under load run in their own processes, as deployed: the load generator (this process) then never
 * shares an event loop with what it measures, and every figure of a run, ceilings included, is taken the
 * same way. `fork` inherits tsx's loader from this process's execArgv, so children run TypeScript too.
 */

type ChildMessage<TInfo> =
  { type: 'ready'; info: TInfo } | { type: 'failed'; message: string } | { type: 'counters'; counters: Counters };

/** Running totals a child keeps (database queries sent, …); a run reads them before and after a load. */
export type Counters = Record<string, number>;

export interface ChildService<TInfo> {
  info: TInfo;
  pid: number;
  /** The child's counters right now. */
  counters(): Promise<Counters>;
  /** Asks the child to stop its servers and connections; kills it (by its pid) if it has not exited in time. */
  stop(): Promise<void>;
}

const stopDeadlineMs = 20_000;

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts `script` (a module that calls `runAsChildService`) with `env` on top of this process's environment;
 * resolves with what it reported once ready. BENCH_CPU_PROF=<name>[,<name>…] writes a V8 CPU profile of the child
 * with that name into $TMPDIR/overcast-bench-profiles/ when it stops (open it in Chrome DevTools or speedscope).
 */
export function startChildService<TInfo>(
  name: string,
  script: string,
  env: Record<string, string>,
  startTimeoutMs = 90_000,
): Promise<ChildService<TInfo>> {
  const profileDir = path.join(tmpdir(), 'overcast-bench-profiles');
  const profile = (process.env.BENCH_CPU_PROF ?? '').split(',').includes(name)
    ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`]
    : [];
  if (profile.length > 0) console.log(`  (writing a CPU profile of ${name} to ${profileDir})`);
  const child = fork(script, [], {
    env: { ...process.env, ...env },
    execArgv: [...process.execArgv, ...profile],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not report ready within ${startTimeoutMs} ms`));
    }, startTimeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready (code ${code}, signal ${signal})`));
    });
    const counterWaiters: ((counters: Counters) => void)[] = [];
    child.on('message', (message: ChildMessage<TInfo>) => {
      clearTimeout(timer);
      if (message.type === 'counters') {
        counterWaiters.shift()?.(message.counters);
        return;
      }
      if (message.type === 'failed') {
        reject(new Error(`${name} failed to start: ${message.message}`));
        return;
      }
      resolve({
        info: message.info,
        pid: child.pid ?? 0,
        counters() {
          return new Promise((resolveCounters) => {
            counterWaiters.push(resolveCounters);
            child.send({ type: 'counters' });
          });
        },
        async stop() {
          if (child.connected) child.send({ type: 'stop' });
          const deadline = setTimeout(() => child.kill('SIGKILL'), stopDeadlineMs);
          await exited(child);
          clearTimeout(deadline);
        },
      });
    });
  });
}

export interface StartedInChild<TInfo> {
  info: TInfo;
  stop(): Promise<void>;
  counters?: () => Counters;
}

/**
 * The child's side: starts, reports `info` to the parent, and stops cleanly when the parent asks or goes
 * away (a parent that crashed must not leave servers, connections or queues consumers behind).
 */
export function runAsChildService<TInfo>(start: () => Promise<StartedInChild<TInfo>>): void {
  const send = (message: ChildMessage<TInfo>) => process.send?.(message);
  start().then(
    (started) => {
      let stopping = false;
      const stopAndExit = () => {
        if (stopping) return;
        stopping = true;
        started.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            process.stderr.write(`stopping failed: ${String(error)}\n`);
            process.exit(1);
          },
        );
      };
      process.on('message', (message: { type?: string }) => {
        if (message.type === 'stop') stopAndExit();
        if (message.type === 'counters') send({ type: 'counters', counters: started.counters?.() ?? {} });
      });
      process.on('disconnect', stopAndExit);
      send({ type: 'ready', info: started.info });
    },
    (error: unknown) => {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`failed to start: ${message}\n`);
      send({ type: 'failed', message });
      process.exit(1);
    },
  );
}
