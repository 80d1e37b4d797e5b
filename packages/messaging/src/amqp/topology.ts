import type { Catalog, MessageDefinition } from '@overcast/contracts';
import type { Channel } from 'amqplib';
import type { RetryPolicy } from '../bus';
import { retryTierCount } from '../core/retry-policy';

/** Every broker object name, prefixed by the namespace so deployments and tests never share one by accident. */
export const names = {
  commandExchange: (namespace: string) => `${namespace}.commands`,
  eventExchange: (namespace: string) => `${namespace}.events`,
  workQueue: (namespace: string, queue: string) => `${namespace}.${queue}`,
  retryQueue: (namespace: string, queue: string, tier: number) => `${namespace}.${queue}.retry.${tier}`,
  deadQueue: (namespace: string, queue: string) => `${namespace}.${queue}.dead`,
  rpcQueue: (namespace: string, service: string) => `${namespace}.rpc.${service}.requests`,
};

function quorum(deliveryLimit: number): Record<string, unknown> {
  // The delivery limit guards against messages that crash their consumer before it can ack (redelivered forever
  // otherwise); set explicitly because RabbitMQ 3.x has none by default and 4.x a default of 20.
  return { 'x-queue-type': 'quorum', 'x-delivery-limit': deliveryLimit };
}

function deadLetterTo(queue: string): Record<string, unknown> {
  // Through the default exchange straight to `queue`; at-least-once so the broker's own dead-lettering
  // cannot lose a message (it needs reject-publish overflow, which has no effect without a length limit).
  return {
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': queue,
    'x-dead-letter-strategy': 'at-least-once',
    'x-overflow': 'reject-publish',
  };
}

/** Idempotent: declaring what exists with the same arguments is a no-op, so this runs on every (re)connect. */
export async function assertExchanges(channel: Channel, namespace: string): Promise<void> {
  await channel.assertExchange(names.commandExchange(namespace), 'direct', { durable: true });
  await channel.assertExchange(names.eventExchange(namespace), 'topic', { durable: true });
}

export interface WorkQueueSpec {
  namespace: string;
  queue: string;
  catalog: Catalog<MessageDefinition>;
  retry: RetryPolicy;
  deliveryLimit: number;
}

/**
 * A work queue with its delay queues and its dead-letter queue, bound to every message type of the catalog.
 * Delay queues hold a failed message for its backoff (per-message TTL), then dead-letter it back to the work queue.
 * The dead-letter queue is a classic queue: reading it puts messages back, which on a quorum queue would count
 * as deliveries towards its delivery limit and eventually drop them.
 */
export async function assertWorkQueue(channel: Channel, spec: WorkQueueSpec): Promise<void> {
  const { namespace, queue, deliveryLimit } = spec;
  const work = names.workQueue(namespace, queue);
  const dead = names.deadQueue(namespace, queue);
  await assertExchanges(channel, namespace);
  await channel.assertQueue(dead, { durable: true });
  await channel.assertQueue(work, { durable: true, arguments: { ...quorum(deliveryLimit), ...deadLetterTo(dead) } });
  for (let tier = 1; tier <= retryTierCount(spec.retry); tier += 1) {
    await channel.assertQueue(names.retryQueue(namespace, queue, tier), {
      durable: true,
      arguments: { ...quorum(deliveryLimit), ...deadLetterTo(work) },
    });
  }
  for (const definition of Object.values(spec.catalog)) {
    const exchange = definition.kind === 'command' ? names.commandExchange(namespace) : names.eventExchange(namespace);
    await channel.bindQueue(work, exchange, definition.type);
  }
}

/**
 * RPC requests of one service: a transient classic queue of transient messages. A request is worth nothing once
 * its caller stops waiting (it expires with the call's timeout), and the reply-to address dies with the caller's
 * channel, so a request that outlives a broker restart has nobody to answer; a quorum queue's replicated, fsynced
 * log was most of RabbitMQ's work per call. Not durable: in a cluster, a lost node takes its transient queues with
 * it, the broker cancels their consumers, and the services declare them again on a node that is up (a durable
 * classic queue would stay down with its node). No delivery limit: a request that kills its consumer expires.
 */
export async function assertRpcQueue(channel: Channel, namespace: string, service: string): Promise<void> {
  await channel.assertQueue(names.rpcQueue(namespace, service), {
    durable: false,
    arguments: { 'x-queue-type': 'classic' },
  });
}
