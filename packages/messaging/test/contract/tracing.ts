import { context, trace } from '@opentelemetry/api';
import { createEnvelope, defineCatalog } from '@overcast/contracts';
import type { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace';
import { waitFor } from '@overcast/test-kit';
import { Registry } from 'prom-client';
import { createBusMetrics } from '../../src';
import { QuoteShipping, ShipOrder } from './catalog';
import type { BusHarness } from './harness';

const tracer = trace.getTracer('bus-contract');

/** What the handler saw as its active span. */
function activeSpanIds(): { traceId: string; spanId: string } | undefined {
  const span = trace.getSpan(context.active());
  return span ? { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId } : undefined;
}

function spansOf(exporter: InMemorySpanExporter, traceId: string): ReadableSpan[] {
  return exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
}

function parentOf(span: ReadableSpan | undefined): string | undefined {
  return span?.parentSpanContext?.spanId;
}

/** The W3C trace context crosses the transport in the envelope; the receiving span continues the sending one. */
export function describeTracing(harness: () => BusHarness, exporter: () => InMemorySpanExporter): void {
  it('continues the publisher’s trace in the consumer: test span → publish → process → handler', async () => {
    const bus = await harness().createBus();
    const seen: { traceId: string; spanId: string }[] = [];
    await bus.consume('shipping', defineCatalog(ShipOrder), {
      'test.ship_order': async () => void seen.push(activeSpanIds() ?? { traceId: 'none', spanId: 'none' }),
    });
    const root = tracer.startSpan('test request');
    const sent = await context.with(trace.setSpan(context.active(), root), () =>
      bus.publish(ShipOrder, { orderId: 'traced' }),
    );
    root.end();
    await waitFor('the traced command', () => seen.length === 1);
    const traceId = root.spanContext().traceId;
    expect(sent.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(seen[0]?.traceId).toBe(traceId);
    await waitFor('the process span to end', () =>
      spansOf(exporter(), traceId).some((span) => span.name === 'process test.ship_order'),
    );
    const spans = spansOf(exporter(), traceId);
    const publish = spans.find((span) => span.name === 'publish test.ship_order');
    const processing = spans.find((span) => span.name === 'process test.ship_order');
    expect(parentOf(publish)).toBe(root.spanContext().spanId);
    expect(parentOf(processing)).toBe(publish?.spanContext().spanId);
    expect(seen[0]?.spanId).toBe(processing?.spanContext().spanId);
  });

  it('continues the caller’s trace in the RPC handler, each request of a batch with its own parent', async () => {
    const server = await harness().createBus();
    const caller = await harness().createBus();
    const seen = new Map<string, string | undefined>();
    await server.serve('shipping', defineCatalog(QuoteShipping), {
      'test.quote_shipping': async ({ orderId }) => {
        seen.set(orderId, activeSpanIds()?.traceId);
        return { orderId, priceCents: 1 };
      },
    });
    // Two calls in one turn: on amqp they travel as one batch message, yet each keeps its own trace.
    const roots = [tracer.startSpan('first'), tracer.startSpan('second')];
    await Promise.all(
      roots.map((root, index) =>
        context.with(trace.setSpan(context.active(), root), () =>
          caller.call(QuoteShipping, { orderId: `o-${index}`, weightKg: 1 }),
        ),
      ),
    );
    roots.forEach((root) => root.end());
    expect(seen.get('o-0')).toBe(roots[0]?.spanContext().traceId);
    expect(seen.get('o-1')).toBe(roots[1]?.spanContext().traceId);
  });

  it('continues the trace stored in an envelope published later (the outbox relay’s case)', async () => {
    const bus = await harness().createBus();
    const seen: (string | undefined)[] = [];
    await bus.consume('shipping', defineCatalog(ShipOrder), {
      'test.ship_order': async () => void seen.push(activeSpanIds()?.traceId),
    });
    const relaySpan = tracer.startSpan('relay');
    await context.with(trace.setSpan(context.active(), relaySpan), () =>
      bus.publishEnvelope('command', createEnvelope(ShipOrder.type, ShipOrder.version, { orderId: 'later' })),
    );
    relaySpan.end();
    await waitFor('the relayed command', () => seen.length === 1);
    expect(seen[0]).toBe(relaySpan.spanContext().traceId);
  });

  it('starts a trace of its own for a message that carries none (an old sender)', async () => {
    const bus = await harness().createBus();
    const seen: (string | undefined)[] = [];
    await bus.consume('shipping', defineCatalog(ShipOrder), {
      'test.ship_order': async () => void seen.push(activeSpanIds()?.traceId),
    });
    await harness().publishRaw(
      'command',
      ShipOrder.type,
      JSON.stringify(createEnvelope(ShipOrder.type, ShipOrder.version, { orderId: 'untraced' })),
    );
    await waitFor('the untraced command', () => seen.length === 1);
    expect(seen[0]).toMatch(/^[0-9a-f]{32}$/);
  });

  it('counts publishes, deliveries, redeliveries, dead letters and RPC latency by queue and method', async () => {
    const registry = new Registry();
    const bus = await harness().createBus({ metrics: createBusMetrics(registry), retry: { maxAttempts: 2 } });
    let failures = 0;
    await bus.consume(
      'shipping',
      defineCatalog(ShipOrder),
      {
        'test.ship_order': async ({ orderId }) => {
          if (orderId === 'doomed') {
            failures += 1;
            throw new Error('always fails');
          }
        },
      },
      { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } },
    );
    await bus.serve('shipping', defineCatalog(QuoteShipping), {
      'test.quote_shipping': async ({ orderId }) => ({ orderId, priceCents: 1 }),
    });
    await bus.publish(ShipOrder, { orderId: 'fine' });
    await bus.publish(ShipOrder, { orderId: 'doomed' });
    await bus.call(QuoteShipping, { orderId: 'q', weightKg: 1 });
    const value = async (name: string, labels: Record<string, string>, sampleName = name) =>
      (await registry.getSingleMetric(name)?.get())?.values.find(
        (sample) =>
          ('metricName' in sample ? sample.metricName : name) === sampleName &&
          Object.entries(labels).every(([key, label]) => sample.labels[key] === label),
      )?.value;
    await waitFor(
      'the doomed command dead-lettered',
      async () => (await value('bus_messages_dead_lettered_total', { queue: 'shipping' })) === 1,
    );
    expect(failures).toBe(2);
    expect(await value('bus_messages_published_total', { type: 'test.ship_order' })).toBe(2);
    expect(await value('bus_messages_delivered_total', { queue: 'shipping', redelivered: 'false' })).toBe(2);
    expect(await value('bus_messages_delivered_total', { queue: 'shipping', redelivered: 'true' })).toBe(1);
    expect(
      await value(
        'bus_rpc_duration_seconds',
        { method: 'test.quote_shipping', outcome: 'ok' },
        'bus_rpc_duration_seconds_count',
      ),
    ).toBe(1);
  });
}
