import type {
  Catalog,
  CommandDefinition,
  Envelope,
  EventDefinition,
  MessageContext,
  MessageDefinition,
  PayloadOf,
  RequestOf,
  ResponseOf,
  RpcDefinition,
} from '@overcast/contracts';

/** What a handler learns about the message besides its payload. */
export interface Delivery<TPayload = unknown> {
  envelope: Envelope<TPayload>;
  /** 1 on first delivery, then 2, 3, … on retries. */
  attempt: number;
  /** True when the broker says this may have been delivered before (e.g. after a crash). */
  redelivered: boolean;
}

export type MessageHandler<TPayload> = (payload: TPayload, delivery: Delivery<TPayload>) => Promise<void>;
export type RpcHandler<TRequest, TResponse> = (request: TRequest, delivery: Delivery<TRequest>) => Promise<TResponse>;

/** A handler for every message in the catalog: forgetting one is a compile error. */
export type MessageHandlers<C extends Catalog<MessageDefinition>> = {
  [K in keyof C]: MessageHandler<PayloadOf<C[K]>>;
};
export type RpcHandlers<C extends Catalog<RpcDefinition>> = {
  [K in keyof C]: RpcHandler<RequestOf<C[K]>, ResponseOf<C[K]>>;
};

export interface RetryPolicy {
  /** Handler attempts before the message is dead-lettered (default 5). */
  maxAttempts: number;
  /** First retry delay (default 1000 ms); doubles each attempt, with jitter, up to maxDelayMs. */
  baseDelayMs: number;
  /** Cap of one retry delay (default 60000 ms). */
  maxDelayMs: number;
}

export interface ConsumeOptions {
  /** Unacked messages in flight per consumer (default 16). */
  prefetch?: number;
  retry?: Partial<RetryPolicy>;
}

export interface Consumer {
  /** Stop taking new messages and wait for in-flight handlers to finish. */
  stop(): Promise<void>;
}

export interface CallOptions {
  /** Give up waiting for the reply (default 5000 ms); the request then expires unprocessed. */
  timeoutMs?: number;
  context?: MessageContext;
}

/** A message parked in a dead-letter queue, with why it got there. */
export interface DeadLetter {
  envelope: Envelope | null;
  /** Raw body when it could not even be parsed as an envelope. */
  raw: string;
  queue: string;
  attempts: number;
  lastError: string;
}

export interface Bus {
  start(): Promise<void>;
  /** Graceful: stops consumers, drains in-flight handlers, then closes. */
  stop(): Promise<void>;
  /** Connected and topology asserted. */
  isReady(): boolean;

  /** Publish an event or command; resolves only once the broker confirmed it. Commands that no queue takes fail. */
  publish<D extends CommandDefinition | EventDefinition>(
    definition: D,
    payload: PayloadOf<D>,
    context?: MessageContext,
  ): Promise<Envelope<PayloadOf<D>>>;
  /** Publish an envelope built earlier (the outbox relay); routed like `publish` by its kind. */
  publishEnvelope(kind: 'command' | 'event', envelope: Envelope): Promise<void>;

  /**
   * Competing consumers on a durable queue named `queue`, bound to every message type in the catalog.
   * For commands use the owning service's queue; for events, one queue per subscriber.
   * A handler that resolves acks; one that throws is retried with backoff, then dead-lettered;
   * a payload that fails its schema is dead-lettered at once.
   */
  consume<C extends Catalog<MessageDefinition>>(
    queue: string,
    catalog: C,
    handlers: MessageHandlers<C>,
    options?: ConsumeOptions,
  ): Promise<Consumer>;

  /** Request/reply; rejects with RpcTimeoutError, or with the AppError the handler threw. */
  call<D extends RpcDefinition>(definition: D, request: RequestOf<D>, options?: CallOptions): Promise<ResponseOf<D>>;
  /** Answer the RPCs of one service. */
  serve<C extends Catalog<RpcDefinition>>(
    service: string,
    catalog: C,
    handlers: RpcHandlers<C>,
    options?: ConsumeOptions,
  ): Promise<Consumer>;

  /** Messages parked in the dead-letter queue of `queue`, oldest first (inspection, tests, ops). */
  readDeadLetters(queue: string, limit?: number): Promise<DeadLetter[]>;
}
