import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * What the bus counts, labelled by queue, message type or RPC method: names from the catalogs and the services'
 * queue names, a bounded set (never ids). Every transport reports through the same calls in `core/`.
 */
export interface BusMetrics {
  published(type: string): void;
  /** A message handed to a handler; `redelivered` when it is a retry or the broker says it may have been seen. */
  delivered(queue: string, redelivered: boolean): void;
  deadLettered(queue: string): void;
  /** One `call`, from send to reply (or failure), by RPC method. */
  rpcCompleted(method: string, seconds: number, outcome: 'ok' | 'error'): void;
}

export const noBusMetrics: BusMetrics = {
  published: () => undefined,
  delivered: () => undefined,
  deadLettered: () => undefined,
  rpcCompleted: () => undefined,
};

/** The bus's metrics in the service's registry (one registry per service: services in one process never mix). */
export function createBusMetrics(registry: Registry): BusMetrics {
  const publishes = new Counter({
    name: 'bus_messages_published_total',
    help: 'Messages published and confirmed by the broker, by message type.',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'bus_messages_delivered_total',
    help: 'Messages handed to a handler, by queue; redelivered="true" for retries and broker redeliveries.',
    labelNames: ['queue', 'redelivered'] as const,
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'bus_messages_dead_lettered_total',
    help: 'Messages parked in the dead-letter queue, by queue.',
    labelNames: ['queue'] as const,
    registers: [registry],
  });
  const rpcDuration = new Histogram({
    name: 'bus_rpc_duration_seconds',
    help: 'RPC round trips as the caller sees them, by method and outcome.',
    labelNames: ['method', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return {
    published: (type) => publishes.inc({ type }),
    delivered: (queue, redelivered) => deliveries.inc({ queue, redelivered: String(redelivered) }),
    deadLettered: (queue) => deadLetters.inc({ queue }),
    rpcCompleted: (method, seconds, outcome) => rpcDuration.observe({ method, outcome }, seconds),
  };
}
