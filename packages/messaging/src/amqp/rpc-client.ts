import type { Envelope, RpcDefinition } from '@overcast/contracts';
import type { ConfirmChannel, Message } from 'amqplib';
import type { BusLogger } from '../bus-options';
import { PendingCalls } from '../core/pending-calls';
import { BusUnavailableError, UnroutableMessageError } from '../errors';
import { deadlineHeader } from './headers';
import { ManagedChannel } from './managed-channel';
import type { ModelLiveness } from './managed-channel';
import { names } from './topology';

/** RabbitMQ's pseudo-queue: replies come straight back on the channel that sent the request, no reply queue needed. */
const directReplyTo = 'amq.rabbitmq.reply-to';

/**
 * Requests are published on the channel that consumes direct reply-to (RabbitMQ requires it), in confirm mode
 * and mandatory, so a call to a service that never declared its queue fails at once instead of timing out.
 * Each request expires with its timeout, so one nobody waits for any more is never processed.
 */
export class RpcClient {
  readonly channel: ManagedChannel<ConfirmChannel>;
  private readonly pending: PendingCalls;
  private readonly returned = new Set<string>();

  constructor(
    private readonly namespace: string,
    liveness: ModelLiveness,
    logger: BusLogger,
  ) {
    this.pending = new PendingCalls(logger);
    this.channel = new ManagedChannel<ConfirmChannel>(
      {
        name: 'rpc client',
        confirm: true,
        open: async (channel) => {
          channel.on('return', (message: Message) => this.returned.add(String(message.properties.correlationId)));
          await channel.consume(directReplyTo, (message) => message && this.pending.settle(String(message.properties.correlationId), message.content.toString('utf8')), {
            noAck: true,
          });
        },
        // Replies go to the reply-to address of the channel that sent the request: after it is gone none can arrive.
        lost: () => this.failAll(new BusUnavailableError('connection to the broker lost before the reply came')),
      },
      liveness,
      logger,
    );
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  call(definition: RpcDefinition, envelope: Envelope, timeoutMs: number): Promise<unknown> {
    const channel = this.channel.current();
    if (!channel) return Promise.reject(new BusUnavailableError(`not connected to the broker; ${definition.type} was not sent`));
    const callId = envelope.id;
    const deadline = Date.now() + timeoutMs;
    const reply = this.pending.wait(callId, definition, deadline, timeoutMs);
    const onConfirm = (error: unknown): void => {
      if (error) this.pending.fail(callId, new BusUnavailableError(`the broker did not confirm ${definition.type}`, error));
      else if (this.returned.delete(callId)) this.pending.fail(callId, new UnroutableMessageError(definition.type));
    };
    try {
      channel.sendToQueue(names.rpcQueue(this.namespace, definition.service), Buffer.from(JSON.stringify(envelope)), {
        replyTo: directReplyTo,
        correlationId: callId,
        messageId: envelope.id,
        type: envelope.type,
        contentType: 'application/json',
        expiration: String(timeoutMs),
        mandatory: true,
        headers: { [deadlineHeader]: deadline },
      }, onConfirm);
    } catch (error) {
      this.pending.fail(callId, new BusUnavailableError(`not connected to the broker; ${definition.type} was not sent`, error));
    }
    return reply;
  }

  failAll(error: unknown): void {
    this.returned.clear();
    this.pending.failAll(error);
  }
}
