import { randomUUID } from 'node:crypto';
import type { Envelope, RpcDefinition } from '@overcast/contracts';
import type { ConfirmChannel, Message } from 'amqplib';
import type { BusLogger } from '../bus-options';
import { PendingCalls } from '../core/pending-calls';
import { PerTurnGroups } from '@overcast/pacing';
import { decodeBatchReply, encodeBatchRequest, maxRpcBatchSize, rpcBatchType } from '../core/rpc-batch';
import { parseReplyBody } from '../core/rpc-reply';
import { BusUnavailableError, UnroutableMessageError } from '../errors';
import { deadlineHeader } from './headers';
import { ManagedChannel } from './managed-channel';
import type { ModelLiveness } from './managed-channel';
import { names } from './topology';

/** RabbitMQ's pseudo-queue: replies come straight back on the channel that sent the request, no reply queue needed. */
const directReplyTo = 'amq.rabbitmq.reply-to';

interface QueuedCall {
  definition: RpcDefinition;
  envelope: Envelope;
  deadline: number;
}

/**
 * Requests are published on the channel that consumes direct reply-to (RabbitMQ requires it), in confirm mode
 * and mandatory, so a call to a service that never declared its queue fails at once instead of timing out.
 * Each request expires with its timeout, so one nobody waits for any more is never processed.
 *
 * Calls are queued for the rest of the event-loop turn and then sent per service: alone as a plain request, or
 * several as one batch message (`rpc-batch.ts`) answered by one batch reply.
 */
export class RpcClient {
  readonly channel: ManagedChannel<ConfirmChannel>;
  private readonly pending: PendingCalls;
  /** Correlation ids of requests the broker returned as unroutable, until their confirm arrives. */
  private readonly returned = new Set<string>();
  private readonly queued = new PerTurnGroups<string, QueuedCall>(maxRpcBatchSize, (service, calls) =>
    this.send(service, calls),
  );

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
          await channel.consume(directReplyTo, (message) => message && this.settle(message), { noAck: true });
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
    if (!this.channel.current())
      return Promise.reject(new BusUnavailableError(`not connected to the broker; ${definition.type} was not sent`));
    const deadline = Date.now() + timeoutMs;
    const reply = this.pending.wait(envelope.id, definition, deadline, timeoutMs);
    this.queued.add(definition.service, { definition, envelope, deadline });
    return reply;
  }

  failAll(error: unknown): void {
    this.returned.clear();
    this.pending.failAll(error);
  }

  private send(service: string, queued: QueuedCall[]): void {
    // A call that timed out or failed while queued is not worth sending.
    const calls = queued.filter((call) => this.pending.has(call.envelope.id));
    const [first] = calls;
    if (!first) return;
    const single = calls.length === 1;
    const messageId = single ? first.envelope.id : randomUUID();
    const deadline = Math.max(...calls.map((call) => call.deadline));
    const failAll = (error: Error): void => calls.forEach((call) => this.pending.fail(call.envelope.id, error));
    const what = single ? first.definition.type : `a batch of ${calls.length} calls to ${service}`;
    const channel = this.channel.current();
    if (!channel) return failAll(new BusUnavailableError(`not connected to the broker; ${what} was not sent`));
    const body = single
      ? JSON.stringify(first.envelope)
      : encodeBatchRequest(
          calls.map((call) => ({ id: call.envelope.id, deadline: call.deadline, envelope: call.envelope })),
        );
    const onConfirm = (error: unknown): void => {
      if (error) failAll(new BusUnavailableError(`the broker did not confirm ${what}`, error));
      else if (this.returned.delete(messageId))
        calls.forEach((call) => this.pending.fail(call.envelope.id, new UnroutableMessageError(call.definition.type)));
    };
    try {
      channel.sendToQueue(
        names.rpcQueue(this.namespace, service),
        Buffer.from(body),
        {
          replyTo: directReplyTo,
          correlationId: messageId,
          messageId,
          type: single ? first.envelope.type : rpcBatchType,
          contentType: 'application/json',
          expiration: String(Math.max(1, deadline - Date.now())),
          mandatory: true,
          headers: { [deadlineHeader]: deadline },
        },
        onConfirm,
      );
    } catch (error) {
      failAll(new BusUnavailableError(`not connected to the broker; ${what} was not sent`, error));
    }
  }

  private settle(message: Message): void {
    const body = message.content.toString('utf8');
    if (message.properties.type === rpcBatchType) {
      for (const { id, reply } of decodeBatchReply(body)) this.pending.settle(id, reply);
    } else {
      this.pending.settle(String(message.properties.correlationId), parseReplyBody(body));
    }
  }
}
