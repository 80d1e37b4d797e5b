import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { Consumer } from '../bus';
import type { BusLogger } from '../bus-options';
import { InFlight } from '../core/in-flight';
import { AckBatcher } from './ack-batcher';
import { BusUnavailableError } from '../errors';
import type { AmqpConnection } from './amqp-connection';
import { closeQuietly, ManagedChannel } from './managed-channel';

export interface ConsumerSpec {
  /** Names the consumer in logs. */
  name: string;
  /** The broker queue to consume. */
  queue: string;
  prefetch: number;
  assertTopology(channel: Channel): Promise<void>;
  /** Handles one delivery and settles it through `acks` (replies go out on `channel`); never rejects. */
  process(message: ConsumeMessage, channel: Channel, acks: AckBatcher): Promise<void>;
}

/**
 * Competing consumer on its own channel (so prefetch bounds this consumer alone and a channel error stays local).
 * Topology is asserted and consumption resumed on every new channel, hence after every reconnect.
 */
export class AmqpConsumer implements Consumer {
  private readonly channel: ManagedChannel<Channel>;
  private readonly inFlight = new InFlight();
  private readonly consumerTags = new WeakMap<Channel, string>();
  private readonly acks = new WeakMap<Channel, AckBatcher>();
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly spec: ConsumerSpec,
    private readonly connection: AmqpConnection,
    private readonly logger: BusLogger,
    private readonly onStopped: (consumer: AmqpConsumer) => void,
  ) {
    this.channel = new ManagedChannel<Channel>(
      { name: `consumer ${spec.name}`, confirm: false, open: (channel) => this.open(channel) },
      connection,
      logger,
    );
  }

  async start(): Promise<void> {
    const model: ChannelModel | undefined = this.connection.current();
    if (!model) throw new BusUnavailableError(`not connected to the broker; cannot consume ${this.spec.name}`);
    this.connection.register(this.channel);
    try {
      await this.channel.attach(model);
    } catch (error) {
      this.connection.unregister(this.channel);
      await this.channel.close();
      throw error;
    }
    this.logger.info({ consumer: this.spec.name, prefetch: this.spec.prefetch }, 'consumer started');
  }

  /** Stops taking messages, lets in-flight handlers finish (and ack), then closes the channel. */
  stop(): Promise<void> {
    this.stopping ??= this.stopNow();
    return this.stopping;
  }

  private async stopNow(): Promise<void> {
    this.connection.unregister(this.channel);
    const channel = this.channel.current();
    const tag = channel && this.consumerTags.get(channel);
    if (channel && tag) await channel.cancel(tag).catch(() => undefined);
    await this.inFlight.drain();
    const current = this.channel.current();
    if (current) this.acks.get(current)?.flush();
    // Deliveries that arrived after the cancel were never started; closing the channel returns them to the queue.
    await this.channel.close();
    this.onStopped(this);
    this.logger.info({ consumer: this.spec.name }, 'consumer stopped');
  }

  private async open(channel: Channel): Promise<void> {
    await this.spec.assertTopology(channel);
    await channel.prefetch(this.spec.prefetch);
    const acks = new AckBatcher(channel, (error) =>
      this.logger.debug(
        { consumer: this.spec.name, err: error },
        'could not settle a delivery on a closed channel; the broker redelivers it',
      ),
    );
    this.acks.set(channel, acks);
    const { consumerTag } = await channel.consume(this.spec.queue, (message) => this.onMessage(message, channel), {
      noAck: false,
    });
    this.consumerTags.set(channel, consumerTag);
  }

  private onMessage(message: ConsumeMessage | null, channel: Channel): void {
    if (message === null) {
      // The broker cancelled us (the queue was deleted): close, and the re-open declares the queue again.
      this.logger.warn({ consumer: this.spec.name }, 'consumer cancelled by the broker; re-opening');
      void closeQuietly(channel);
      return;
    }
    const acks = this.acks.get(channel);
    if (!acks) return;
    acks.delivered(message);
    if (this.stopping) return;
    this.inFlight.track(this.spec.process(message, channel, acks));
  }
}
