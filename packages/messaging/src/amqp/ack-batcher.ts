import { PerTurnGroups } from '@overcast/pacing';
import type { Channel, ConsumeMessage } from 'amqplib';

/**
 * Acks of one consumer channel, sent together once per event-loop turn. Delivery tags on a channel count up by
 * one, so the settled run at the front goes out as a single `multiple` ack; tags settled behind a gap (a slow
 * handler) are acked one by one, never held back, so prefetch slots free up as soon as their handlers end.
 * With TCP_NODELAY each ack would otherwise be its own packet, which costs the broker more than the handler.
 */
export class AckBatcher {
  /** Lowest delivery tag not yet known to be acked. */
  private front: number | undefined;
  /** Settled in this turn, not yet sent. */
  private readonly settled = new PerTurnGroups<'acks', ConsumeMessage>(Number.POSITIVE_INFINITY, (_group, messages) =>
    this.send(messages),
  );
  /** Sent individually behind a gap: the front skips them when it gets there. */
  private readonly sentAhead = new Set<number>();

  constructor(
    private readonly channel: Channel,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Every delivery passes here first, in arrival order. */
  delivered(message: ConsumeMessage): void {
    this.front ??= message.fields.deliveryTag;
  }

  ack(message: ConsumeMessage): void {
    this.settled.add('acks', message);
  }

  /** A requeue cannot be batched with acks; it goes out now and the front skips its tag. */
  requeue(message: ConsumeMessage): void {
    this.sentAhead.add(message.fields.deliveryTag);
    this.settle(() => this.channel.nack(message, false, true));
  }

  /** Sends what is settled now; stop() calls it before closing the channel, which would requeue unsent acks. */
  flush(): void {
    this.settled.flush();
  }

  private send(messages: ConsumeMessage[]): void {
    const pending = new Map(messages.map((message) => [message.fields.deliveryTag, message]));
    let lastOfRun: ConsumeMessage | undefined;
    while (this.front !== undefined) {
      const message = pending.get(this.front);
      if (message) {
        pending.delete(this.front);
        lastOfRun = message;
      } else if (!this.sentAhead.delete(this.front)) {
        break;
      }
      this.front += 1;
    }
    if (lastOfRun) {
      const last = lastOfRun;
      this.settle(() => this.channel.ack(last, true));
    }
    for (const [tag, message] of pending) {
      this.sentAhead.add(tag);
      this.settle(() => this.channel.ack(message, false));
    }
  }

  private settle(write: () => void): void {
    try {
      write();
    } catch (error) {
      // The channel closed: the broker returns its unacked messages to the queue by itself.
      this.onError(error);
    }
  }
}
