import { connect } from 'amqplib';
import { assertValidName } from '../bus-options';
import { names } from './topology';

export interface TopologyToDelete {
  url: string;
  namespace: string;
  /** Queues given to `consume`: each goes with its delay queues and its dead-letter queue. */
  queues?: string[];
  /** Services given to `serve`: their RPC request queues. */
  services?: string[];
}

/** The most delay queues one work queue can have (one per retry until the backoff cap); deleting absent ones is a no-op. */
const maxRetryTiers = 32;

/**
 * Deletes what buses of `namespace` declared for these queues and services, and the namespace's exchanges, messages
 * included. For tests and throwaway environments, which must not leave quorum queues behind on a shared broker.
 */
export async function deleteAmqpTopology(topology: TopologyToDelete): Promise<void> {
  const namespace = assertValidName('namespace', topology.namespace);
  const connection = await connect(topology.url);
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    for (const queue of topology.queues ?? []) {
      await channel.deleteQueue(names.workQueue(namespace, assertValidName('queue', queue)));
      await channel.deleteQueue(names.deadQueue(namespace, queue));
      for (let tier = 1; tier <= maxRetryTiers; tier += 1)
        await channel.deleteQueue(names.retryQueue(namespace, queue, tier));
    }
    for (const service of topology.services ?? [])
      await channel.deleteQueue(names.rpcQueue(namespace, assertValidName('service', service)));
    await channel.deleteExchange(names.commandExchange(namespace));
    await channel.deleteExchange(names.eventExchange(namespace));
    await channel.close();
  } finally {
    await connection.close().catch(() => undefined);
  }
}
