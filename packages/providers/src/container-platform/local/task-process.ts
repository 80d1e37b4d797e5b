import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { ProviderError } from '../../core/compute';
import type { LocalImage } from '../../local/config';
import type { TaskDefinitionInput } from '../container-platform';
import { commandWordsOf } from '../names';

/** Output kept per task: the tail, so a chatty task cannot grow the control plane's memory. */
const outputLimit = 64 * 1024;

export interface TaskProcess {
  id: string;
  address: string;
  /** The port it serves on (its first mapping's host port), or null for a task without ports. */
  port: number | null;
  taskDefinition: string;
  child: ChildProcess;
  /** stdout and stderr interleaved (last 64 KiB). */
  output(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited: boolean;
}

/** The image named by a task definition (`name:tag`, the tag ignored), which must have an entrypoint. */
export function catalogImageOf(
  images: Record<string, LocalImage>,
  reference: string,
): LocalImage & { entrypoint: string[] } {
  const name = reference.split(':')[0] ?? '';
  // Own keys only: an image named "constructor" must not find Object.prototype.constructor.
  const image = Object.hasOwn(images, name) ? images[name] : undefined;
  const runnable = Object.entries(images)
    .filter(([, entry]) => entry.entrypoint)
    .map(([key]) => key);
  if (!image?.entrypoint) {
    throw new ProviderError(
      `local image "${name}" cannot run app tasks; the catalog's runnable images: ${runnable.join(', ')}`,
      {
        retryable: false,
        code: 'IMAGE_NOT_FOUND',
      },
    );
  }
  return { ...image, entrypoint: image.entrypoint };
}

/**
 * Start one task: the catalog image's entrypoint with the command's words as arguments, in its own process group
 * (so stopping it stops what it started), bound to its own loopback address. Nothing of the control plane's own
 * environment leaks in (database URLs, encryption keys): only PATH and what the image and release define.
 */
export function startTaskProcess(options: {
  id: string;
  image: LocalImage & { entrypoint: string[] };
  definition: TaskDefinitionInput;
  taskDefinition: string;
  address: string;
  command?: string | null;
  env?: Record<string, string>;
  /** The service's balancer address and port, which the task shares with its siblings (reuse-port balancers). */
  balancer?: { address: string; port: number };
}): TaskProcess {
  const { definition } = options;
  const port = definition.portMappings[0]?.hostPort ?? null;
  const [program, ...entryArguments] = options.image.entrypoint;
  const words = commandWordsOf(options.command === undefined ? definition.command : options.command) ?? [];
  const child = spawn(program ?? '', [...entryArguments, ...words], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: tmpdir(),
    env: {
      ...options.image.env,
      ...definition.env,
      ...options.env,
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      LANG: 'C.UTF-8',
      HOME: tmpdir(),
      OVERCAST_APP: definition.app,
      OVERCAST_SERVICE: definition.service,
      OVERCAST_TASK_ID: options.id,
      OVERCAST_RELEASE: String(definition.release),
      OVERCAST_TASK_IP: options.address,
      ...(port === null ? {} : { PORT: String(port) }),
      ...(options.balancer && {
        OVERCAST_LB_IP: options.balancer.address,
        OVERCAST_LB_PORT: String(options.balancer.port),
      }),
    },
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-outputLimit);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const task: TaskProcess = {
    id: options.id,
    address: options.address,
    port,
    taskDefinition: options.taskDefinition,
    child,
    output: () => output,
    exited: false,
    exit: new Promise((resolve) => {
      child.once('error', (error) => {
        append(Buffer.from(`could not start: ${error.message}\n`));
        task.exited = true;
        resolve({ code: null, signal: null });
      });
      child.once('close', (code, signal) => {
        task.exited = true;
        resolve({ code, signal });
      });
    }),
  };
  return task;
}

/** SIGTERM the task's process group, SIGKILL after the grace period; resolves once it has exited. */
export async function stopTaskProcess(task: TaskProcess, graceMs: number): Promise<void> {
  if (task.exited) return;
  const signal = (name: NodeJS.Signals) => {
    try {
      if (task.child.pid) process.kill(-task.child.pid, name);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await task.exit;
  clearTimeout(timer);
}
