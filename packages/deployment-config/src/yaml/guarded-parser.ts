import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerReady, YamlLimits, YamlReply, YamlRequest } from './worker-protocol';

export interface WorkerLimits {
  /**
   * A parse that takes longer is refused and its worker replaced (a hang costs this much, once). Counted from
   * when the worker is ready: loading the parsers into a new worker is not the document's time.
   */
  timeoutMs: number;
  /** The worker's heap: a pathological document exhausts this, not the process's. */
  maxHeapMb: number;
  /** The worker's stack (V8's default is about 1 MB). */
  stackSizeMb: number;
}

export interface GuardedYamlParser {
  /**
   * `parse`: the value or the problems; `locate`: every node's path and offset. Never rejects for the text's
   * sake: a worker that dies or overruns answers with a refusal.
   */
  request(op: YamlRequest['op'], text: string, limits: YamlLimits): Promise<YamlReply>;
  /** Stops the worker; a later parse starts a new one. */
  close(): Promise<void>;
}

interface Pending {
  resolve(reply: YamlReply): void;
  /** Armed once the worker is ready. */
  timer?: NodeJS.Timeout;
  /** The worker holding the request: only its death answers the request. */
  worker: Worker;
}

const workerPath = path.join(__dirname, 'yaml-worker.mts');

/** A new worker that has not loaded its parsers by then is stopped (a cold start takes about 0.2 s here). */
const startupTimeoutMs = 30_000;

function failure(id: number, message: string): YamlReply {
  return { id, ok: false, problems: [{ offset: 0, message }], lineStarts: [] };
}

/**
 * One long-lived worker thread parses every document in turn, so a refusal costs a message round trip, not a
 * thread start. If the worker dies (heap limit, crash) or overruns the timeout, every request it held is answered
 * with a refusal and the next parse starts a fresh worker. The worker keeps the process alive only while it has
 * work, so a CLI exits as soon as its last parse is answered.
 */
export function createGuardedYamlParser(limits: WorkerLimits): GuardedYamlParser {
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const ready = new WeakSet<Worker>();

  const settle = (reply: YamlReply) => {
    const request = pending.get(reply.id);
    if (!request) return;
    pending.delete(reply.id);
    clearTimeout(request.timer);
    if (![...pending.values()].some((other) => other.worker === request.worker)) request.worker.unref();
    request.resolve(reply);
  };

  const abandon = (dead: Worker, message: string) => {
    if (worker === dead) worker = undefined;
    for (const [id, request] of [...pending]) if (request.worker === dead) settle(failure(id, message));
  };

  const overrun = (id: number, current: Worker) => {
    // Terminating answers every request this worker held (its exit event), this one included.
    settle(failure(id, `refused: parsing took longer than ${limits.timeoutMs} ms`));
    if (worker === current) worker = undefined;
    void current.terminate();
  };

  const arm = (id: number, request: Pending) => {
    request.timer = setTimeout(() => overrun(id, request.worker), limits.timeoutMs);
  };

  const start = (): Worker => {
    const started = new Worker(workerPath, {
      // Node 22 needs the flag for a .mts entry; Node 24 strips types by default.
      execArgv: process.features.typescript ? [] : ['--experimental-strip-types'],
      resourceLimits: {
        maxOldGenerationSizeMb: limits.maxHeapMb,
        maxYoungGenerationSizeMb: Math.max(8, Math.floor(limits.maxHeapMb / 8)),
        stackSizeMb: limits.stackSizeMb,
      },
      stdout: false,
      stderr: false,
    });
    const startup = setTimeout(() => {
      abandon(started, 'refused: the YAML parser did not start');
      void started.terminate();
    }, startupTimeoutMs);
    startup.unref();
    started.on('message', (message: YamlReply | WorkerReady) => {
      if (!('ready' in message)) return settle(message);
      clearTimeout(startup);
      ready.add(started);
      for (const [id, request] of pending) if (request.worker === started) arm(id, request);
    });
    started.on('error', (error) => abandon(started, `refused: the YAML parser stopped (${error.message})`));
    started.on('exit', () => {
      clearTimeout(startup);
      abandon(started, 'refused: the YAML parser stopped');
    });
    started.unref();
    return started;
  };

  return {
    request(op, text, yamlLimits) {
      const id = nextId++;
      worker ??= start();
      const current = worker;
      current.ref();
      return new Promise<YamlReply>((resolve) => {
        const request: Pending = { resolve, worker: current };
        pending.set(id, request);
        if (ready.has(current)) arm(id, request);
        const message: YamlRequest = { id, op, text, limits: yamlLimits };
        current.postMessage(message);
      });
    },
    async close() {
      const current = worker;
      worker = undefined;
      if (current) await current.terminate();
    },
  };
}
