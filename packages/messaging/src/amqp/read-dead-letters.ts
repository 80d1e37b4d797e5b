import type { ChannelModel } from 'amqplib';
import type { DeadLetter } from '../bus';
import type { BusLogger } from '../bus-options';
import { deadLetterFrom } from '../core/dead-letter';
import { readAttempt, readLastError } from './headers';
import { names } from './topology';

/**
 * Reads without removing: messages are fetched unacknowledged on a throwaway channel, and closing it puts them
 * back where they were (the dead-letter queue is a classic queue, which requeues in place).
 */
export async function readDeadLetters(
  model: ChannelModel,
  namespace: string,
  queue: string,
  limit: number,
  logger: BusLogger,
): Promise<DeadLetter[]> {
  const channel = await model.createChannel();
  channel.on('error', (error: Error) => logger.warn({ queue, err: error }, 'dead-letter read channel error'));
  const dead = names.deadQueue(namespace, queue);
  try {
    await channel.assertQueue(dead, { durable: true });
    const letters: DeadLetter[] = [];
    while (letters.length < limit) {
      const message = await channel.get(dead, { noAck: false });
      if (!message) break;
      letters.push(
        deadLetterFrom(
          message.content.toString('utf8'),
          queue,
          readAttempt(message.properties),
          readLastError(message.properties),
        ),
      );
    }
    return letters;
  } finally {
    await channel.close().catch(() => undefined);
  }
}
