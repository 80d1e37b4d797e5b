import type { Channel } from 'amqplib';
import type { BusLogger } from '../bus-options';
import { PerTurnGroups } from '@overcast/pacing';
import { encodeBatchReply, maxRpcBatchSize, rpcBatchType } from '../core/rpc-batch';
import { encodeReply } from '../core/rpc-reply';
import type { RpcReply } from '../core/rpc-reply';

interface OutgoingReply {
  channel: Channel;
  id: string;
  reply: RpcReply;
}

/**
 * Replies ready in one event-loop turn for the same caller (its reply-to address) leave as one message: alone
 * as a plain reply under its call id, several as a batch reply. A reply that cannot be sent is logged; its
 * caller times out (an RPC is answered once or not at all).
 */
export class ReplyCoalescer {
  private readonly outgoing: PerTurnGroups<string, OutgoingReply>;

  constructor(private readonly logger: BusLogger) {
    this.outgoing = new PerTurnGroups(maxRpcBatchSize, (replyTo, replies) => this.send(replyTo, replies));
  }

  add(channel: Channel, replyTo: string, id: string, reply: RpcReply): void {
    this.outgoing.add(replyTo, { channel, id, reply });
  }

  private send(replyTo: string, replies: OutgoingReply[]): void {
    // Any channel can answer a reply-to address; after a reconnect the newest one carries what is still waiting.
    const channel = replies[replies.length - 1]?.channel;
    const [only] = replies;
    if (!channel || !only) return;
    try {
      if (replies.length === 1) {
        channel.sendToQueue(replyTo, Buffer.from(encodeReply(only.reply)), {
          correlationId: only.id,
          contentType: 'application/json',
        });
      } else {
        const body = encodeBatchReply(replies.map(({ id, reply }) => ({ id, reply })));
        channel.sendToQueue(replyTo, Buffer.from(body), { type: rpcBatchType, contentType: 'application/json' });
      }
    } catch (error) {
      this.logger.warn({ replies: replies.length, err: error }, 'could not send rpc replies');
    }
  }
}
