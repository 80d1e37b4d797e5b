import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { withTraceContext } from '@overcast/messaging';
import { startTracing, type Tracing } from '@overcast/service-kit';
import { describeWithPostgres, waitFor } from '@overcast/test-kit';
import { Registry } from 'prom-client';
import { createOutboxRelay, ensurePlatformTables, registerOutboxMetrics, type Database } from '../src';
import { commitToOutbox, outboxEmptied } from './support/outbox-helpers';
import { doThing, startRecordingBus } from './support/recording-bus';
import { realPostgresTarget, uniqueSchema, type DatabaseTarget } from './support/targets';

describeWithPostgres('outbox telemetry', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing | null;
  let target: DatabaseTarget;
  let database: Database;
  beforeAll(async () => {
    tracing = startTracing({ serviceName: 'outbox-test', exporter });
    target = await realPostgresTarget();
    database = await target.connect(uniqueSchema('outbox_otel'));
    await ensurePlatformTables(database);
  });
  afterAll(async () => {
    await target.close();
    await tracing?.shutdown();
  });

  it('relays a message in the trace of the transaction that wrote it, the consumer continuing it', async () => {
    const recording = await startRecordingBus();
    const writer = trace.getTracer('test').startSpan('request that commits');
    const envelope = withTraceContext(doThing(1), trace.setSpan(context.active(), writer));
    writer.end();
    await commitToOutbox(database, [['command', envelope]]);

    const relay = createOutboxRelay({ database, bus: recording.bus, pollIntervalMs: 50 });
    await relay.start();
    try {
      await waitFor('the relayed command', () => recording.received.length === 1);
    } finally {
      await relay.stop();
      await recording.stop();
    }

    const traceId = writer.spanContext().traceId;
    await waitFor('the consumer span', () =>
      exporter.getFinishedSpans().some((span) => span.name === 'process db_test.do_thing'),
    );
    const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
    const byName = (name: string) => spans.find((span) => span.name === name);
    const relaySpan = byName('outbox relay db_test.do_thing');
    const publish = byName('publish db_test.do_thing');
    const processing = byName('process db_test.do_thing');
    expect(relaySpan?.parentSpanContext?.spanId).toBe(writer.spanContext().spanId);
    expect(publish?.parentSpanContext?.spanId).toBe(relaySpan?.spanContext().spanId);
    expect(processing?.parentSpanContext?.spanId).toBe(publish?.spanContext().spanId);
  });

  it('reports the outbox depth and the age of its oldest message when scraped', async () => {
    const registry = new Registry();
    registerOutboxMetrics(registry, database);
    await commitToOutbox(database, [
      ['command', doThing(2)],
      ['command', doThing(3)],
    ]);
    await database.pool.query(
      `UPDATE "${database.schema}"._overcast_outbox SET created_at = now() - interval '90 seconds'`,
    );
    const text = await registry.metrics();
    expect(text).toMatch(/^outbox_messages 2$/m);
    const age = Number(/^outbox_oldest_message_age_seconds (\S+)$/m.exec(text)?.[1]);
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(120);

    await database.pool.query(`DELETE FROM "${database.schema}"._overcast_outbox`);
    await outboxEmptied(database);
    expect(await registry.metrics()).toMatch(/^outbox_oldest_message_age_seconds 0$/m);
  });
});
