import type { MessageContext } from '@overcast/contracts';
import type { RetryPolicy } from './bus';
import type { BusMetrics } from './telemetry/bus-metrics';

/** Structural and pino-compatible (`logger.warn({ queue }, 'consumer channel lost')`), so any pino logger fits. */
export interface BusLogger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/**
 * Carries the message context across async hops. service-kit supplies an AsyncLocalStorage one:
 * `publish`/`call` without an explicit context use `current()`, and every handler runs inside
 * `run(contextFrom(envelope), …)`, so the HTTP request's correlation id follows the work through every hop.
 */
export interface MessageContextHook {
  current(): MessageContext | undefined;
  run<T>(context: MessageContext, fn: () => Promise<T>): Promise<T>;
}

/** Options both transports understand. */
export interface BusOptions {
  /** Prefix of every exchange and queue name (default 'overcast'); tests use a unique one to isolate themselves. */
  namespace?: string;
  logger?: BusLogger;
  context?: MessageContextHook;
  /** Default retry policy of consumers that do not set their own. */
  retry?: Partial<RetryPolicy>;
  /** Default prefetch of consumers that do not set their own (16). */
  prefetch?: number;
  /** Default RPC timeout (5000 ms). */
  rpcTimeoutMs?: number;
  /** Where publishes, deliveries, dead letters and RPC latencies are counted (`createBusMetrics(registry)`). */
  metrics?: BusMetrics;
}

export const silentLogger: BusLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Without a hook there is no ambient context: callers pass one explicitly or start a new correlation. */
export const noMessageContext: MessageContextHook = {
  current: () => undefined,
  run: (_context, fn) => fn(),
};

export const defaultPrefetch = 16;
export const defaultRpcTimeoutMs = 5000;

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** Queue, service and namespace names end up in broker object names: refuse anything that could collide or confuse. */
export function assertValidName(field: string, value: unknown): string {
  if (typeof value !== 'string' || !namePattern.test(value)) {
    throw new TypeError(
      `${field} must be 1-200 characters of letters, digits, '.', '_' or '-', starting with a letter or digit (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}

export function assertPositiveInteger(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new TypeError(`${field} must be a positive integer (got ${JSON.stringify(value)})`);
  }
  return value;
}
