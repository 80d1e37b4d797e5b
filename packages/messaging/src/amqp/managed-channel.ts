import { backoffDelayMs } from '@overcast/pacing';
import type { Channel, ChannelModel, ConfirmChannel } from 'amqplib';
import type { BusLogger } from '../bus-options';

/** What a channel is for: run on every fresh channel (first start, after a channel error, after a reconnect). */
export interface ChannelRole<C extends Channel> {
  name: string;
  confirm: C extends ConfirmChannel ? true : false;
  open(channel: C): Promise<void>;
  /** The channel closed under its users: work started on it can no longer ack or publish on it. */
  lost?(channel: C): void;
}

export interface ModelLiveness {
  isOpen(model: ChannelModel): boolean;
}

export async function closeQuietly(channel: Channel): Promise<void> {
  try {
    await channel.close();
  } catch {
    // Already closed by the broker or with its connection: nothing left to release.
  }
}

/** A channel the broker closed (while its connection lives) is opened again after this backoff. */
const reopenBackoff = { baseDelayMs: 100, maxDelayMs: 5000 };

/**
 * One long-lived channel that re-opens itself. A channel error (e.g. a refused declaration) closes only that
 * channel: it is re-opened here with backoff while its connection lives; a lost connection is the connection's
 * job, whose setup attaches every managed channel again on the new connection.
 */
export class ManagedChannel<C extends Channel> {
  private channel: C | undefined;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  lastError: unknown;

  constructor(
    private readonly role: ChannelRole<C>,
    private readonly liveness: ModelLiveness,
    private readonly logger: BusLogger,
  ) {}

  current(): C | undefined {
    return this.channel;
  }

  isOpen(): boolean {
    return this.channel !== undefined;
  }

  /** Opens a channel on `model` and runs the role's setup; on failure schedules a retry and rethrows. */
  async attach(model: ChannelModel): Promise<void> {
    this.clearRetry();
    if (this.closed) return;
    let channel: C | undefined;
    try {
      channel = (this.role.confirm ? await model.createConfirmChannel() : await model.createChannel()) as C;
      const opened = channel;
      // Without an 'error' listener a channel error is thrown at the connection and kills it.
      opened.on('error', (error: Error) => this.logger.warn({ channel: this.role.name, err: error }, 'channel error'));
      opened.on('close', () => this.onClose(opened, model));
      await this.role.open(opened);
      if (this.closed) {
        await closeQuietly(opened);
        return;
      }
      this.channel = opened;
      this.failures = 0;
      this.lastError = undefined;
    } catch (error) {
      this.lastError = error;
      this.logger.error({ channel: this.role.name, err: error }, 'could not open channel');
      if (channel) await closeQuietly(channel);
      this.retryLater(model);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.clearRetry();
    const channel = this.channel;
    this.channel = undefined;
    if (channel) await closeQuietly(channel);
  }

  private onClose(channel: C, model: ChannelModel): void {
    if (this.channel !== channel) return;
    this.channel = undefined;
    this.logger.warn({ channel: this.role.name }, 'channel closed; re-opening');
    this.role.lost?.(channel);
    this.retryLater(model);
  }

  private retryLater(model: ChannelModel): void {
    if (this.closed || this.retryTimer) return;
    this.failures += 1;
    const delay = backoffDelayMs(reopenBackoff, this.failures);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      // On a dead connection, wait for the next one: its setup attaches this channel again.
      if (this.closed || !this.liveness.isOpen(model)) return;
      this.attach(model).catch(() => undefined);
    }, delay);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }
}
