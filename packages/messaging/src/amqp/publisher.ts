import type { Envelope } from '@overcast/contracts';
import type { ConfirmChannel, Message, Options } from 'amqplib';
import type { BusLogger } from '../bus-options';
import { BusUnavailableError, UnroutableMessageError } from '../errors';
import { publishSequenceHeader, readPublishSequence } from './headers';
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
 * that no queue takes comes back (basic.return, always before its confirm) and fails its publish instead.
 */
export class Publisher {
  readonly channel: ManagedChannel<ConfirmChannel>;
  private readonly returned = new Set<number>();
  private sequence = 0;

  constructor(
    private readonly namespace: string,
    private readonly window: { acquire(): Promise<void>; release(): void; idle(): Promise<void> },
    liveness: ModelLiveness,
    private readonly logger: BusLogger,
  ) {
    this.channel = new ManagedChannel<ConfirmChannel>(
      {
        name: 'publisher',
        confirm: true,
        open: async (channel) => {
          channel.on('return', (message: Message) => {
            const sequence = readPublishSequence(message.properties);
            if (sequence !== undefined) this.returned.add(sequence);
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

  async publish(target: PublishTarget, body: Buffer, options: Options.Publish = {}): Promise<void> {
    await this.window.acquire();
    try {
      await this.publishConfirmed(target, body, options);
    } finally {
      this.window.release();
    }
  }

  idle(): Promise<void> {
    return this.window.idle();
  }

  private publishConfirmed(target: PublishTarget, body: Buffer, options: Options.Publish): Promise<void> {
    const channel = this.channel.current();
    if (!channel) return Promise.reject(new BusUnavailableError(`not connected to the broker; ${target.type} was not sent`));
    this.sequence += 1;
    const sequence = this.sequence;
    const headers: Record<string, unknown> = { ...(options.headers as Record<string, unknown> | undefined) };
    if (target.mandatory) headers[publishSequenceHeader] = sequence;
    return new Promise<void>((resolve, reject) => {
      const onConfirm = (error: unknown): void => {
        const wasReturned = this.returned.delete(sequence);
        if (error) {
          this.logger.warn({ type: target.type, error: String(error) }, 'publish not confirmed');
          reject(new BusUnavailableError(`the broker did not confirm ${target.type}`, error));
        } else if (wasReturned) {
          reject(new UnroutableMessageError(target.type));
        } else {
          resolve();
        }
      };
      try {
        channel.publish(target.exchange, target.routingKey, body, {
          persistent: true,
          contentType: 'application/json',
          timestamp: Math.floor(Date.now() / 1000),
          ...options,
          headers,
          mandatory: target.mandatory,
        }, onConfirm);
      } catch (error) {
        // amqplib throws synchronously on a channel that is closing.
        reject(new BusUnavailableError(`not connected to the broker; ${target.type} was not sent`, error));
      }
    });
  }
}
