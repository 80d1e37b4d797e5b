import type { Channel, ConsumeMessage } from 'amqplib';
import { AckBatcher } from './ack-batcher';

function recordingChannel() {
  const sent: string[] = [];
  const channel = {
    ack: (message: ConsumeMessage, allUpTo?: boolean) =>
      sent.push(`ack ${message.fields.deliveryTag}${allUpTo ? ' and all before' : ''}`),
    nack: (message: ConsumeMessage) => sent.push(`requeue ${message.fields.deliveryTag}`),
  } as unknown as Channel;
  return { channel, sent };
}

const delivery = (deliveryTag: number) => ({ fields: { deliveryTag } }) as ConsumeMessage;
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('ack batcher', () => {
  it('acks a settled run of deliveries with one multiple ack per turn', async () => {
    const { channel, sent } = recordingChannel();
    const acks = new AckBatcher(channel, () => undefined);
    const messages = [1, 2, 3].map(delivery);
    messages.forEach((message) => acks.delivered(message));
    [messages[1]!, messages[0]!, messages[2]!].forEach((message) => acks.ack(message));
    await nextTurn();
    expect(sent).toEqual(['ack 3 and all before']);
  });

  it('acks deliveries behind a slow one at once, one by one, and skips them later', async () => {
    const { channel, sent } = recordingChannel();
    const acks = new AckBatcher(channel, () => undefined);
    const messages = [1, 2, 3, 4].map(delivery);
    messages.forEach((message) => acks.delivered(message));
    acks.ack(messages[2]!);
    await nextTurn();
    expect(sent).toEqual(['ack 3']);

    acks.ack(messages[0]!);
    acks.ack(messages[1]!);
    await nextTurn();
    expect(sent).toEqual(['ack 3', 'ack 2 and all before']);

    acks.ack(messages[3]!);
    await nextTurn();
    expect(sent).toEqual(['ack 3', 'ack 2 and all before', 'ack 4 and all before']);
  });

  it('sends a requeue at once and lets the run continue past it', async () => {
    const { channel, sent } = recordingChannel();
    const acks = new AckBatcher(channel, () => undefined);
    const messages = [7, 8, 9].map(delivery);
    messages.forEach((message) => acks.delivered(message));
    acks.requeue(messages[0]!);
    acks.ack(messages[1]!);
    acks.ack(messages[2]!);
    await nextTurn();
    expect(sent).toEqual(['requeue 7', 'ack 9 and all before']);
  });

  it('reports instead of throwing when the channel is gone', async () => {
    const errors: unknown[] = [];
    const closed = {
      ack: () => {
        throw new Error('Channel closed');
      },
    } as unknown as Channel;
    const acks = new AckBatcher(closed, (error) => errors.push(error));
    acks.delivered(delivery(1));
    acks.ack(delivery(1));
    await nextTurn();
    expect(errors).toHaveLength(1);
  });
});
