import type { Envelope } from '@overcast/contracts';
import type { ConfirmChannel, Message, Options } from 'amqplib';
import pLimit from 'p-limit';
import type { LimitFunction } from 'p-limit';
import type { BusLogger } from '../bus-options';
import { InFlight } from '../core/in-flight';
import { BusUnavailableError, UnroutableMessageError } from '../errors';
import { ManagedChannel } from './managed-channel';
import type { ModelLiveness } from './managed-channel';
import { assertExchanges, names } from './topology';

export interface PublishTarget {
  exchange: string;
  routingKey: string;
  /** Fail the publish when no queue takes the message (commands). */
  mandatory: boolean;
  /** Names the message in errors and logs. */
  type: string;
}

/**
 * Every publish goes through one confirm channel and resolves only on the broker's confirm. A mandatory message
 * that no queue takes comes back (basic.return, always before its confirm) and fails its publish instead. Returns are
 * matched by message id: two publishes of one envelope have the same routing, so they share the same fate.
 *
 * At most `windowSize` publishes await their confirm at once (p-limit, first come first served): concurrent
 * callers are pipelined, never one confirm round trip at a time, yet a burst cannot buffer without limit in
 * memory while the broker is slow or blocks publishing.
 */
export class Publisher {
  readonly channel: ManagedChannel<ConfirmChannel>;
  /** Returned mandatory messages by message id (counted: one envelope may be in flight twice), until confirmed. */
  private readonly returned = new Map<string, number>();
  private readonly window: LimitFunction;
  private readonly inFlight = new InFlight();

  constructor(
    private readonly namespace: string,
    windowSize: number,
    liveness: ModelLiveness,
    private readonly logger: BusLogger,
  ) {
    this.window = pLimit(windowSize);
    this.channel = new ManagedChannel<ConfirmChannel>(
      {
        name: 'publisher',
        confirm: true,
        open: async (channel) => {
          channel.on('return', (message: Message) => {
            const messageId = String(message.properties.messageId);
            this.returned.set(messageId, (this.returned.get(messageId) ?? 0) + 1);
          });
          await assertExchanges(channel, namespace);
        },
        lost: () => this.returned.clear(),
      },
      liveness,
      logger,
    );
  }

  publishEnvelope(kind: 'command' | 'event', envelope: Envelope): Promise<void> {
    const exchange = kind === 'command' ? names.commandExchange(this.namespace) : names.eventExchange(this.namespace);
    return this.publish(
      { exchange, routingKey: envelope.type, mandatory: kind === 'command', type: envelope.type },
      Buffer.from(JSON.stringify(envelope)),
      { messageId: envelope.id, type: envelope.type },
    );
  }

  publish(target: PublishTarget, body: Buffer, options: Options.Publish = {}): Promise<void> {
    const published = this.window(() => this.publishConfirmed(target, body, options));
    this.inFlight.track(published);
    return published;
  }

  /** Resolves once no publish waits for its turn or its confirm. */
  idle(): Promise<void> {
    return this.inFlight.drain();
  }

  private publishConfirmed(target: PublishTarget, body: Buffer, options: Options.Publish): Promise<void> {
    const channel = this.channel.current();
    if (!channel)
      return Promise.reject(new BusUnavailableError(`not connected to the broker; ${target.type} was not sent`));
    const messageId = options.messageId;
    if (target.mandatory && !messageId) return Promise.reject(new TypeError('a mandatory publish needs a message id'));
    return new Promise<void>((resolve, reject) => {
      const onConfirm = (error: unknown): void => {
        const wasReturned = messageId !== undefined && this.takeReturned(messageId);
        if (error) {
          this.logger.warn({ type: target.type, err: error }, 'publish not confirmed');
          reject(new BusUnavailableError(`the broker did not confirm ${target.type}`, error));
        } else if (wasReturned) {
          reject(new UnroutableMessageError(target.type));
        } else {
          resolve();
        }
      };
      try {
        channel.publish(
          target.exchange,
          target.routingKey,
          body,
          {
            persistent: true,
            contentType: 'application/json',
            timestamp: Math.floor(Date.now() / 1000),
            ...options,
            mandatory: target.mandatory,
          },
          onConfirm,
        );
      } catch (error) {
        // amqplib throws synchronously on a channel that is closing.
        reject(new BusUnavailableError(`not connected to the broker; ${target.type} was not sent`, error));
      }
    });
  }

  private takeReturned(messageId: string): boolean {
    const count = this.returned.get(messageId);
    if (count === undefined) return false;
    if (count > 1) this.returned.set(messageId, count - 1);
    else this.returned.delete(messageId);
    return true;
  }
}
