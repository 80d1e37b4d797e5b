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
  /** Settled but not yet sent, by tag. */
  private readonly pending = new Map<number, ConsumeMessage>();
  /** Sent individually behind a gap: the front skips them when it gets there. */
  private readonly sentAhead = new Set<number>();
  private flushScheduled = false;

  constructor(
    private readonly channel: Channel,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Every delivery passes here first, in arrival order. */
  delivered(message: ConsumeMessage): void {
    this.front ??= message.fields.deliveryTag;
  }

  ack(message: ConsumeMessage): void {
    this.pending.set(message.fields.deliveryTag, message);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /** A requeue cannot be batched with acks; it goes out now and the front skips its tag. */
  requeue(message: ConsumeMessage): void {
    this.sentAhead.add(message.fields.deliveryTag);
    this.send(() => this.channel.nack(message, false, true));
  }

  /** Sends what is settled now; stop() calls it before closing the channel, which would requeue unsent acks. */
  flush(): void {
    this.flushScheduled = false;
    let lastOfRun: ConsumeMessage | undefined;
    while (this.front !== undefined) {
      const message = this.pending.get(this.front);
      if (message) {
        this.pending.delete(this.front);
        lastOfRun = message;
      } else if (!this.sentAhead.delete(this.front)) {
        break;
      }
      this.front += 1;
    }
    if (lastOfRun) {
      const last = lastOfRun;
      this.send(() => this.channel.ack(last, true));
    }
    for (const [tag, message] of this.pending) {
      this.sentAhead.add(tag);
      this.send(() => this.channel.ack(message, false));
    }
    this.pending.clear();
  }

  private send(settle: () => void): void {
    try {
      settle();
    } catch (error) {
      // The channel closed: the broker returns its unacked messages to the queue by itself.
      this.onError(error);
    }
  }
}
