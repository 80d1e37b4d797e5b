import { context, propagation, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import type { Envelope } from '@overcast/contracts';

type TraceFields = Pick<Envelope, 'traceparent' | 'tracestate'>;

const envelopeSetter = {
  set(carrier: TraceFields, key: string, value: string) {
    if (key === 'traceparent' || key === 'tracestate') carrier[key] = value;
  },
};

const envelopeGetter = {
  keys: () => ['traceparent', 'tracestate'],
  get: (carrier: TraceFields, key: string) =>
    key === 'traceparent' ? carrier.traceparent : key === 'tracestate' ? carrier.tracestate : undefined,
};

/**
 * The envelope stamped with the current trace context by the registered propagator (W3C `traceparent`): what a
 * consumer continues. Unchanged when tracing is off (the API's propagator is then a no-op) or nothing is active.
 */
export function withTraceContext<TPayload>(
  envelope: Envelope<TPayload>,
  from: Context = context.active(),
): Envelope<TPayload> {
  const fields: TraceFields = {};
  propagation.inject(from, fields, envelopeSetter);
  if (fields.traceparent === undefined) return envelope;
  return { ...envelope, traceparent: fields.traceparent, tracestate: fields.tracestate };
}

/** The context the sender's span was in, to start the receiving span under; the root when there is none. */
export function traceContextOf(envelope: TraceFields): Context {
  if (envelope.traceparent === undefined) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, envelope, envelopeGetter);
}
