import { AsyncLocalStorage } from 'node:async_hooks';
import type { MessageContext } from '@overcast/contracts';
import type { Bus, BusMetrics, MessageContextHook, RetryPolicy } from '../../src';

export interface BusHarness {
  /** Another bus on the same broker and namespace: another process of the system. Stopped by cleanup(). */
  createBus(options?: {
    context?: MessageContextHook;
    retry?: Partial<RetryPolicy>;
    metrics?: BusMetrics;
  }): Promise<Bus>;
  /** Put raw bytes on the wire as any foreign client could, routed like a command or an event of `type`. */
  publishRaw(kind: 'command' | 'event', type: string, body: string): Promise<void>;
  /** Cut every client off the broker and let them back in (amqp: a TCP proxy in between). */
  restartBroker?(downForMs: number): Promise<void>;
  cleanup(): Promise<void>;
}

export interface TransportUnderTest {
  name: string;
  setUp(): Promise<BusHarness>;
}

/** What service-kit will supply: the context follows the async flow. */
export function asyncLocalContext(): MessageContextHook {
  const storage = new AsyncLocalStorage<MessageContext>();
  return { current: () => storage.getStore(), run: (context, fn) => storage.run(context, fn) };
}

/** A promise and its resolver, for handlers a test holds open. */
export function deferred<T = void>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/** Bus objects stop idempotently; tests stop some early, cleanup stops whatever is left. */
export async function stopAll(buses: Bus[]): Promise<void> {
  await Promise.all(buses.map((bus) => bus.stop()));
}
