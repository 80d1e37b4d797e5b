import { Router } from 'express';
import type { Logger } from '../logger';

/** Resolves (or returns true) when the dependency is usable; throws or returns false when it is not. */
export type ReadinessCheck = () => boolean | void | Promise<boolean | void>;

export interface HealthOptions {
  /** Named checks run by `/readyz`, e.g. `{ database: () => db.ping(), broker: () => bus.isReady() }`. */
  checks?: Record<string, ReadinessCheck>;
  /** A check slower than this counts as failed (default 2000 ms): a hung dependency is not a ready one. */
  readinessTimeoutMs?: number;
  /** Failed checks are logged with their reason; the response only names them. */
  logger?: Logger;
}

export type CheckOutcome = 'ok' | 'failed' | 'timed out';

export interface ReadinessReport {
  status: 'ready' | 'unready';
  checks: Record<string, CheckOutcome>;
  failed: string[];
}

/**
 * `/healthz`: liveness, answers without touching any dependency (a restart does not fix the database).
 * `/readyz`: readiness, runs every check concurrently; 200 when all pass, else 503 naming the failures.
 */
export function healthRoutes(options: HealthOptions = {}): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const report = await runReadinessChecks(options);
    res.setHeader('Cache-Control', 'no-store');
    res.status(report.status === 'ready' ? 200 : 503).json(report);
  });
  return router;
}

export async function runReadinessChecks(options: HealthOptions): Promise<ReadinessReport> {
  const timeoutMs = options.readinessTimeoutMs ?? 2000;
  const entries = Object.entries(options.checks ?? {});
  const outcomes = await Promise.all(
    entries.map(async ([name, check]) => {
      const { outcome, error } = await runOneCheck(check, timeoutMs);
      if (outcome !== 'ok') {
        options.logger?.warn({ check: name, outcome, timeoutMs, err: error }, `readiness check ${name} ${outcome}`);
      }
      return [name, outcome] as const;
    }),
  );
  const failed = outcomes.filter(([, outcome]) => outcome !== 'ok').map(([name]) => name);
  return { status: failed.length === 0 ? 'ready' : 'unready', checks: Object.fromEntries(outcomes), failed };
}

async function runOneCheck(
  check: ReadinessCheck,
  timeoutMs: number,
): Promise<{ outcome: CheckOutcome; error?: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<{ outcome: CheckOutcome }>((resolve) => {
    timer = setTimeout(() => resolve({ outcome: 'timed out' }), timeoutMs);
  });
  // Promise.resolve().then(check) turns a synchronous throw into a rejection like an async one.
  const checked = Promise.resolve()
    .then(check)
    .then(
      (result) => ({ outcome: result === false ? ('failed' as const) : ('ok' as const) }),
      (error: unknown) => ({ outcome: 'failed' as const, error }),
    );
  try {
    return await Promise.race([checked, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
