import { randomInt } from 'node:crypto';
import { backoffDelayMs } from '@overcast/pacing';
import { Client } from 'pg';
import type { ClientConfig, Notification } from 'pg';
import type { BusLogger } from '../bus-options';
import { ownerLockClass } from './bus-names';

export interface BusListenerOptions {
  config: ClientConfig;
  channels: string[];
  logger: BusLogger;
  onNotification(channel: string, payload: string): void;
  /**
   * After every (re)connect: notifications sent while disconnected are gone, so look for work now; and the lease
   * owner id is a new one, so leases in hand are to be renewed under it before the old id's are released.
   */
  onConnected(): void;
  /** Nothing sent to this bus's channels arrives until the next connect. */
  onLost(): void;
}

const reconnectBackoff = { baseDelayMs: 100, maxDelayMs: 5000 };
const ownerIdAttempts = 5;

/**
 * The bus's one dedicated connection: LISTEN for wake-ups and replies, and the session advisory lock that says the
 * bus is alive (its lease owner id). Reconnects with backoff until closed; meanwhile consumers fall back to polling.
 */
export class BusListener {
  private client: Client | undefined;
  private owner: number | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;

  constructor(private readonly options: BusListenerOptions) {}

  get connected(): boolean {
    return this.client !== undefined;
  }

  /** The owner id to put on leases, while its lock is held; leases without one simply wait for their expiry. */
  get leaseOwner(): number | undefined {
    return this.client ? this.owner : undefined;
  }

  /** The first connection; a failure here fails the bus's start. */
  async start(): Promise<void> {
    this.client = await this.connect();
    this.options.onConnected();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<Client> {
    const client = new Client(this.options.config);
    client.on('notification', (notification: Notification) =>
      this.options.onNotification(notification.channel, notification.payload ?? ''),
    );
    client.on('error', (error: Error) => this.lost(client, error));
    client.on('end', () => this.lost(client, undefined));
    try {
      await client.connect();
      for (const channel of this.options.channels) await client.query(`LISTEN "${channel}"`);
      this.owner = await this.lockOwnerId(client);
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  /**
   * A new id for every session, never the last one again: a claim that committed while its answer was lost with the
   * connection leased rows to the old id, and only once that id's lock is gone does a release give them back.
   */
  private async lockOwnerId(client: Client): Promise<number | undefined> {
    for (let attempt = 0; attempt < ownerIdAttempts; attempt += 1) {
      const candidate = randomInt(1, 2 ** 31 - 1);
      const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [
        ownerLockClass,
        candidate,
      ]);
      if (result.rows[0]?.locked) return candidate;
    }
    this.options.logger.warn(
      {},
      'bus listener: no free lease owner id; leases will only expire, not be released early',
    );
    return undefined;
  }

  private lost(client: Client, error: Error | undefined): void {
    if (this.client !== client) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
    if (this.closed) return;
    this.options.logger.warn({ err: error }, 'bus listener lost its connection; polling until it is back');
    this.options.onLost();
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.failures += 1;
    this.reconnectTimer = setTimeout(
      () => {
        this.connect().then(
          (client) => {
            if (this.closed) return void client.end().catch(() => undefined);
            this.client = client;
            this.failures = 0;
            this.options.logger.info({}, 'bus listener reconnected');
            this.options.onConnected();
          },
          (error: unknown) => {
            this.options.logger.debug({ err: error }, 'bus listener reconnect failed');
            if (!this.closed) this.scheduleReconnect();
          },
        );
      },
      backoffDelayMs(reconnectBackoff, this.failures),
    );
    this.reconnectTimer.unref();
  }
}
