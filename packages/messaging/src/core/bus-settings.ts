import {
  assertPositiveInteger,
  assertValidName,
  defaultPrefetch,
  defaultRpcTimeoutMs,
  noMessageContext,
  silentLogger,
} from '../bus-options';
import type { BusOptions } from '../bus-options';
import { noBusMetrics } from '../telemetry/bus-metrics';
import type { HandlingRuntime } from './handle-message';
import { resolveRetryPolicy } from './retry-policy';

/** The options every transport understands, checked and defaulted once, at construction: a bad one throws naming it. */
export function resolveBusSettings(options: BusOptions) {
  const namespace = assertValidName('namespace', options.namespace ?? 'overcast');
  const logger = options.logger ?? silentLogger;
  const context = options.context ?? noMessageContext;
  const runtime: HandlingRuntime = { context, logger, metrics: options.metrics ?? noBusMetrics };
  return {
    namespace,
    logger,
    context,
    runtime,
    defaultRetry: resolveRetryPolicy(options.retry),
    prefetch: assertPositiveInteger('prefetch', options.prefetch ?? defaultPrefetch),
    rpcTimeoutMs: assertPositiveInteger('rpcTimeoutMs', options.rpcTimeoutMs ?? defaultRpcTimeoutMs),
  };
}

export type BusSettings = ReturnType<typeof resolveBusSettings>;
