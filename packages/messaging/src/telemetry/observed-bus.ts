import { SpanKind } from '@opentelemetry/api';
import type { Bus } from '../bus';
import type { BusMetrics } from './bus-metrics';
import { inSpan } from './in-span';
import { withTraceContext } from './trace-context';

/**
 * The sending side of every transport, traced and counted: `publish` and `call` build their envelope inside a
 * producer (client) span, so the envelope carries that span's `traceparent`; `publishEnvelope` (the outbox relay)
 * stamps the envelope built earlier with the span active now. The receiving side is traced in `core/`.
 */
export function observeBus(bus: Bus, metrics: BusMetrics): Bus {
  return {
    start: () => bus.start(),
    stop: () => bus.stop(),
    isReady: () => bus.isReady(),
    consume: (queue, catalog, handlers, options) => bus.consume(queue, catalog, handlers, options),
    serve: (service, catalog, handlers, options) => bus.serve(service, catalog, handlers, options),
    readDeadLetters: (queue, limit) => bus.readDeadLetters(queue, limit),

    publish: (definition, payload, messageContext) =>
      inSpan(`publish ${definition.type}`, SpanKind.PRODUCER, messagingAttributes(definition.type), async () => {
        const envelope = await bus.publish(definition, payload, messageContext);
        metrics.published(definition.type);
        return envelope;
      }),

    publishEnvelope: (kind, envelope) =>
      inSpan(`publish ${envelope.type}`, SpanKind.PRODUCER, messagingAttributes(envelope.type), async () => {
        await bus.publishEnvelope(kind, withTraceContext(envelope));
        metrics.published(envelope.type);
      }),

    call: (definition, request, options) =>
      inSpan(
        definition.type,
        SpanKind.CLIENT,
        { 'rpc.system': 'overcast-bus', 'rpc.service': definition.service, 'rpc.method': definition.type },
        async () => {
          const started = performance.now();
          try {
            const response = await bus.call(definition, request, options);
            metrics.rpcCompleted(definition.type, (performance.now() - started) / 1000, 'ok');
            return response;
          } catch (error) {
            metrics.rpcCompleted(definition.type, (performance.now() - started) / 1000, 'error');
            throw error;
          }
        },
      ),
  };
}

function messagingAttributes(type: string) {
  return { 'messaging.system': 'overcast-bus', 'messaging.operation.type': 'send', 'messaging.destination.name': type };
}
