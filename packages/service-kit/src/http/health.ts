import { AppError } from '@overcast/contracts';
import { Router, type RequestHandler } from 'express';
import type { Logger } from '../logger';

/** Resolves (or returns true) when the dependency is usable; throws or returns false when it is not. */
export type ReadinessCheck = () => boolean | void | Promise<boolean | void>;

export interface HealthOptions {
  /** Named checks run by `/readyz`, e.g. `{ database: () => db.ping(), broker: () => bus.isReady() }`. */
  checks?: Record<string, ReadinessCheck>;
  /** A check slower than this counts as failed (default 2000 ms): a hung dependency is not a ready one. */
  readinessTimeoutMs?: number;
  /** Failed checks are logged with their reason (and whether they timed out); the response only names them. */
  logger?: Logger;
  /**
   * Which other services answer, for a service that watches them (the gateway): reported in `/readyz`'s
   * `services`, never folded into its status, so one service down does not take every replica out of rotation.
   */
  reportServices?: () => Promise<Record<string, boolean>>;
}

type CheckOutcome = 'ok' | 'failed' | 'timed out';

/**
 * The one `/readyz` body of every Overcast service, as the API spec declares it (`Readiness`, which the gateway's
 * generated types check this against): each check passed or not; ready when all passed.
 */
export interface ReadinessReport {
  status: 'ready' | 'not_ready';
  checks: Record<string, boolean>;
  /** Only from a service given `reportServices`. */
  services?: Record<string, boolean>;
}

// Paths served here; any other method on them answers 405 naming GET, as the gateway does for its routes.
const healthPaths = ['/healthz', '/readyz'];

/**
 * `/healthz`: liveness, answers without touching any dependency (a restart does not fix the database).
 * `/readyz`: readiness, runs every check concurrently; 200 when all pass, else 503 with the same body.
 */
export function healthRoutes(options: HealthOptions = {}): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [report, services] = await Promise.all([runReadinessChecks(options), options.reportServices?.()]);
    res.setHeader('Cache-Control', 'no-store');
    res.status(report.status === 'ready' ? 200 : 503).json(services ? { ...report, services } : report);
  });
  router.all(healthPaths, onlyGet);
  return router;
}

/** 405 with `Allow: GET`, in the error envelope: for a GET-only path asked with another method. */
export const onlyGet: RequestHandler = (req, res, next) => {
  res.setHeader('Allow', 'GET');
  next(new AppError('method_not_allowed', `${req.method} is not allowed on ${req.path}; allowed: GET`));
};

/** Runs every check at once, each bounded by the timeout; a failure is logged with its cause. */
export async function runReadinessChecks(
  options: Pick<HealthOptions, 'checks' | 'readinessTimeoutMs' | 'logger'>,
): Promise<ReadinessReport> {
  const timeoutMs = options.readinessTimeoutMs ?? 2000;
  const entries = Object.entries(options.checks ?? {});
  const outcomes = await Promise.all(
    entries.map(async ([name, check]) => {
      const { outcome, error } = await runOneCheck(check, timeoutMs);
      if (outcome !== 'ok') {
        options.logger?.warn({ check: name, outcome, timeoutMs, err: error }, `readiness check ${name} ${outcome}`);
      }
      return [name, outcome === 'ok'] as const;
    }),
  );
  const ready = outcomes.every(([, passed]) => passed);
  return { status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries(outcomes) };
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
