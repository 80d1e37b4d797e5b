import type { Logger } from '../logger';

export interface ShutdownOptions {
  signals?: NodeJS.Signals[];
  /** Exit 1 if `stop` has not finished by then (default 25000 ms: under Kubernetes' 30 s grace period). */
  deadlineMs?: number;
  /** Default `process.exit`; injectable so tests can observe the exit code. */
  exit?: (code: number) => void;
}

/**
 * On the first SIGTERM/SIGINT: log, run `stop` once, exit 0 when it resolves, 1 when it throws or
 * misses the deadline. A second signal while stopping exits 1 at once (a second Ctrl-C means "now").
 * Returns a function that removes the handlers.
 */
export function handleShutdownSignals(
  stop: () => Promise<void>,
  logger: Logger,
  options: ShutdownOptions = {},
): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const deadlineMs = options.deadlineMs ?? 25_000;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  let deadline: NodeJS.Timeout | undefined;

  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      clearTimeout(deadline);
      logger.warn({ signal }, 'second shutdown signal while stopping: exiting now');
      exit(1);
      return;
    }
    stopping = true;
    logger.info({ signal, deadlineMs }, 'shutting down');
    deadline = setTimeout(() => {
      logger.error({ deadlineMs }, 'shutdown did not finish before its deadline');
      exit(1);
    }, deadlineMs);
    stop().then(
      () => {
        clearTimeout(deadline);
        logger.info('stopped');
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(deadline);
        logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };

  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
