import { AsyncLocalStorage } from 'node:async_hooks';
import type { MessageContext } from '@overcast/contracts';

const storage = new AsyncLocalStorage<MessageContext>();

/**
 * The correlation (and causation) of the work in progress: set per HTTP request by the request-id
 * middleware and per message by the bus, read by the logger and by anything that publishes messages.
 * Structurally it is the bus's context hook: `createBus({ context: correlation, … })`.
 */
export const correlation = {
  current(): MessageContext | undefined {
    return storage.getStore();
  },

  run<T>(context: MessageContext, fn: () => Promise<T>): Promise<T> {
    return storage.run(context, fn);
  },

  /** For callback-style code (express middleware) that cannot return a promise. */
  runSync<T>(context: MessageContext, fn: () => T): T {
    return storage.run(context, fn);
  },
};

export type Correlation = typeof correlation;
