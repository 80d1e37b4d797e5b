import { connect } from 'amqplib';
import type { ChannelModel, RecoveringChannelModel } from 'amqplib';
import type { BusLogger } from '../bus-options';
import { describeError } from '../core/parse-envelope';
import { BusUnavailableError } from '../errors';
import type { ModelLiveness } from './managed-channel';

/** A managed channel as the connection sees it: something to attach to every new connection. */
export interface Attachable {
  attach(model: ChannelModel): Promise<void>;
}

export interface AmqpConnectionOptions {
  url: string;
  connectionName: string;
  heartbeatSeconds: number;
  initialReconnectDelayMs: number;
  maxReconnectDelayMs: number;
  connectTimeoutMs: number;
  logger: BusLogger;
}

/** The URL as it may appear in logs and errors. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable AMQP URL)';
  }
}

/** The heartbeat travels in the URL (amqplib reads it there); one already given in the URL wins. */
function withHeartbeat(url: string, heartbeatSeconds: number): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('heartbeat')) parsed.searchParams.set('heartbeat', String(heartbeatSeconds));
  return parsed.toString();
}

/**
 * One connection that reconnects with backoff (amqplib's recovery) and, on every new connection, attaches
 * all managed channels again, which re-asserts their topology and resumes their consumers.
 */
export class AmqpConnection implements ModelLiveness {
  private recovering: RecoveringChannelModel | undefined;
  private model: ChannelModel | undefined;
  private readonly closedModels = new WeakSet<ChannelModel>();
  private readonly channels = new Set<Attachable>();

  constructor(private readonly options: AmqpConnectionOptions) {}

  current(): ChannelModel | undefined {
    return this.model;
  }

  isOpen(model: ChannelModel): boolean {
    return !this.closedModels.has(model);
  }

  register(channel: Attachable): void {
    this.channels.add(channel);
  }

  unregister(channel: Attachable): void {
    this.channels.delete(channel);
  }

  async open(): Promise<void> {
    const { logger } = this.options;
    const target = redactUrl(this.options.url);
    const recovering = await connect(withHeartbeat(this.options.url, this.options.heartbeatSeconds), {
      // amqplib leaves Nagle's algorithm on: small frames (an RPC, an ack) then wait ~40 ms for the peer's delayed ACK.
      noDelay: true,
      clientProperties: { connection_name: this.options.connectionName },
      recovery: {
        initialDelay: this.options.initialReconnectDelayMs,
        maxDelay: this.options.maxReconnectDelayMs,
        waitForConnect: false,
        setup: (model: ChannelModel) => this.setUp(model),
      },
    });
    recovering.on('error', (error: Error) => logger.warn({ broker: target, err: error }, 'connection error'));
    recovering.on('connect', () => logger.info({ broker: target }, 'connected to the broker'));
    recovering.on('disconnect', (error: Error) => {
      this.model = undefined;
      logger.warn({ broker: target, err: error }, 'connection to the broker lost; reconnecting');
    });
    recovering.on('reconnect-scheduled', (info: { attempt: number; delay: number; error: Error }) =>
      logger.info(
        { broker: target, attempt: info.attempt, delayMs: info.delay, err: info.error },
        'reconnect scheduled',
      ),
    );
    recovering.on('reconnect-failed', (error: Error) =>
      logger.error({ broker: target, err: error }, 'gave up reconnecting'),
    );
    recovering.on('blocked', (reason: string) =>
      logger.warn({ broker: target, reason }, 'the broker blocks publishing'),
    );
    recovering.on('unblocked', () => logger.info({ broker: target }, 'the broker accepts publishing again'));
    this.recovering = recovering;

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no connection within ${this.options.connectTimeoutMs} ms`)),
        this.options.connectTimeoutMs,
      );
    });
    try {
      await Promise.race([recovering.waitForConnect(), timeout]);
    } catch (error) {
      await this.close();
      throw new BusUnavailableError(`cannot reach the broker at ${target}: ${describeError(error)}`, error);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    const recovering = this.recovering;
    this.recovering = undefined;
    this.model = undefined;
    if (recovering) await recovering.close().catch(() => undefined);
  }

  private async setUp(model: ChannelModel): Promise<void> {
    model.on('error', (error: Error) => this.options.logger.warn({ err: error }, 'connection error'));
    model.once('close', () => {
      this.closedModels.add(model);
      if (this.model === model) this.model = undefined;
    });
    // A channel that cannot open retries on its own; it must not keep the connection (and the others) down.
    await Promise.allSettled([...this.channels].map((channel) => channel.attach(model)));
    if (this.isOpen(model)) this.model = model;
  }
}
