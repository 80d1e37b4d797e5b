import { backoffDelayMs } from '@overcast/pacing';
import { Client } from 'pg';
import type { ClientConfig, Notification } from 'pg';
import { DatabaseOptionsError } from './errors';
import type { DbLogger } from './logger';

export type NotificationHandler = (payload: string) => void;
export type Unlisten = () => Promise<void>;

const channelPattern = /^[a-z_][a-z0-9_]{0,62}$/;
const reconnectBackoff = { baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * LISTEN on one dedicated connection per Database, re-established with backoff when it drops.
 */
export function createNotificationHub(config: ClientConfig, logger: DbLogger) {
  const handlers = new Map<string, Set<NotificationHandler>>();
  let listener: Client | null = null;
  let connecting: Promise<Client> | null = null;
  let reconnectTimer: NodeJS.Timeout | null = null;
  /** Reconnects tried since the listener was lost, counting the one scheduled. */
  let reconnectAttempts = 0;
  let closed = false;

  function route(notification: Notification): void {
    for (const handler of handlers.get(notification.channel) ?? []) handler(notification.payload ?? '');
  }

  function scheduleReconnect(): void {
    if (closed || reconnectTimer || handlers.size === 0) return;
    reconnectAttempts += 1;
    reconnectTimer = setTimeout(
      () => {
        reconnectTimer = null;
        connectListener().catch((error: unknown) => {
          logger.warn({ err: error }, 'database listener reconnect failed');
          scheduleReconnect();
        });
      },
      backoffDelayMs(reconnectBackoff, reconnectAttempts),
    );
  }

  async function openListener(): Promise<Client> {
    const client = new Client(config);
    client.on('notification', route);
    const lost = (error?: Error) => {
      if (listener !== client) return;
      listener = null;
      logger.warn({ err: error }, 'database listener lost (or its connection ended); polling continues meanwhile');
      client.end().catch(() => undefined);
      scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    await client.connect();
    for (const channel of handlers.keys()) await client.query(`LISTEN "${channel}"`);
    reconnectAttempts = 0;
    return client;
  }

  function connectListener(): Promise<Client> {
    if (listener) return Promise.resolve(listener);
    connecting ??= openListener()
      .then((client) => {
        if (closed) {
          void client.end().catch(() => undefined);
          throw new Error('database is closed');
        }
        listener = client;
        return client;
      })
      .finally(() => {
        connecting = null;
      });
    return connecting;
  }

  async function listen(channel: string, handler: NotificationHandler): Promise<Unlisten> {
    if (!channelPattern.test(channel)) {
      throw new DatabaseOptionsError('channel', `must be a lower-case identifier, got ${JSON.stringify(channel)}`);
    }
    if (closed) throw new Error('database is closed');
    const isNewChannel = !handlers.has(channel);
    const channelHandlers = handlers.get(channel) ?? new Set<NotificationHandler>();
    channelHandlers.add(handler);
    handlers.set(channel, channelHandlers);
    const forget = () => {
      channelHandlers.delete(handler);
      if (channelHandlers.size > 0 || handlers.get(channel) !== channelHandlers) return false;
      handlers.delete(channel);
      return true;
    };
    try {
      const client = await connectListener();
      if (isNewChannel && client === listener) await client.query(`LISTEN "${channel}"`);
    } catch (error) {
      forget();
      throw error;
    }
    return async () => {
      if (forget()) await listener?.query(`UNLISTEN "${channel}"`).catch(() => undefined);
    };
  }

  async function close(): Promise<void> {
    closed = true;
    handlers.clear();
    if (reconnectTimer) clearTimeout(reconnectTimer);
    await connecting?.catch(() => undefined);
    const client = listener;
    listener = null;
    await client?.end().catch(() => undefined);
  }

  return { listen, close };
}
