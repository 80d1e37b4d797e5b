import type { Logger } from '@overcast/service-kit';

export interface PeriodicTask {
  start(): void;
  /** Stops scheduling, waits for a run in progress, then runs once more if `finalRun` (flush on shutdown). */
  stop(options?: { finalRun?: boolean }): Promise<void>;
}

/**
 * Runs `work` every `intervalMs`, never overlapping itself (the next run is scheduled when one ends), and
 * logs failures instead of crashing: a database blip must not take the gateway down.
 */
export function createPeriodicTask(
  name: string,
  intervalMs: number,
  work: () => Promise<unknown>,
  logger: Logger,
): PeriodicTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  let consecutiveFailures = 0;

  const runOnce = (): Promise<void> =>
    work().then(
      () => {
        if (consecutiveFailures > 0) logger.info({ task: name }, `${name} recovered`);
        consecutiveFailures = 0;
      },
      (error: unknown) => {
        consecutiveFailures += 1;
        // The first failure and then every 50th, so an outage does not flood the log.
        if (consecutiveFailures === 1 || consecutiveFailures % 50 === 0) {
          logger.warn({ task: name, err: error, consecutiveFailures }, `${name} failed`);
        }
      },
    );

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce().finally(() => {
        running = undefined;
        schedule();
      });
    }, intervalMs);
    timer.unref();
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop(options) {
      stopped = true;
      clearTimeout(timer);
      await running;
      if (options?.finalRun) await runOnce();
    },
  };
}
