import type { Channel } from 'amqplib';
import type { BusLogger } from '../bus-options';
import { encodeBatchReply, maxRpcBatchSize, rpcBatchType } from '../core/rpc-batch';
import { encodeReply } from '../core/rpc-reply';
import type { RpcReply } from '../core/rpc-reply';

interface Outgoing {
  channel: Channel;
  replies: { id: string; reply: RpcReply }[];
}

/**
 * Replies ready in one event-loop turn for the same caller (its reply-to address) leave as one message: alone
 * as a plain reply under its call id, several as a batch reply. A reply that cannot be sent is logged; its
 * caller times out (an RPC is answered once or not at all).
 */
export class ReplyCoalescer {
  private readonly outgoing = new Map<string, Outgoing>();
  private flushScheduled = false;

  constructor(private readonly logger: BusLogger) {}

  add(channel: Channel, replyTo: string, id: string, reply: RpcReply): void {
    // Any channel can answer a reply-to address; after a reconnect the newest one carries what is still waiting.
    const existing = this.outgoing.get(replyTo);
    if (existing) {
      existing.channel = channel;
      existing.replies.push({ id, reply });
    } else {
      this.outgoing.set(replyTo, { channel, replies: [{ id, reply }] });
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const outgoing = [...this.outgoing];
    this.outgoing.clear();
    for (const [replyTo, { channel, replies }] of outgoing) {
      for (let start = 0; start < replies.length; start += maxRpcBatchSize) this.send(channel, replyTo, replies.slice(start, start + maxRpcBatchSize));
    }
  }

  private send(channel: Channel, replyTo: string, replies: { id: string; reply: RpcReply }[]): void {
    const [only] = replies;
    try {
      if (replies.length === 1 && only) {
        channel.sendToQueue(replyTo, Buffer.from(encodeReply(only.reply)), { correlationId: only.id, contentType: 'application/json' });
      } else {
        channel.sendToQueue(replyTo, Buffer.from(encodeBatchReply(replies)), { type: rpcBatchType, contentType: 'application/json' });
      }
    } catch (error) {
      this.logger.warn({ replies: replies.length, error: String(error) }, 'could not send rpc replies');
    }
  }
}
