import { SpanKind } from '@opentelemetry/api';
import { inSpan } from '@overcast/messaging';
import type { BrokerStoreHandle } from './broker-store';

/**
 * The store's writes (a Prisma transaction, the single-statement create and transition, each with its outbox
 * rows) as Postgres client spans. Here, not through `@opentelemetry/instrumentation-pg`: that hooks `pg` when it
 * is first required, which neither tsx's loader nor jest's module registry lets it do reliably, and the outbox
 * rows must carry the context of these spans, which only code running inside them can stamp.
 */
export function traceStoreWrites(store: BrokerStoreHandle, schema: string): BrokerStoreHandle {
  const attributes = { 'db.system.name': 'postgresql', 'db.namespace': schema };
  const traced = <T>(operation: string, work: () => Promise<T>): Promise<T> =>
    inSpan(`${schema} ${operation}`, SpanKind.CLIENT, attributes, work);
  return {
    ...store,
    transaction: (work) => traced('transaction', () => store.transaction(work)),
    createInstance: (instance, announce, claim) =>
      traced('insert instance', () => store.createInstance(instance, announce, claim)),
    transition: (instance, changes, announce, inbox) =>
      traced('transition instance', () => store.transition(instance, changes, announce, inbox)),
  };
}
