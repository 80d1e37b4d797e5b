import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import type { Database } from '@overcast/db';
import { createBusMetrics } from '@overcast/messaging';
import { createMetrics, startTracing, type Tracing } from '@overcast/service-kit';
import { describeWithServices, waitFor, type TestDatabase } from '@overcast/test-kit';
import { Registry } from 'prom-client';
import {
  authorization,
  createToken,
  openMigratedDatabase,
  startGateway,
  type RunningGateway,
} from './support/gateway-harness';
import { startRealBroker, type RealBroker } from './support/real-broker';

/** The names from `span` up to the root of its trace, nearest first. */
function lineage(span: ReadableSpan, spans: ReadableSpan[]): string[] {
  const byId = new Map(spans.map((each) => [each.spanContext().spanId, each]));
  const names: string[] = [];
  for (let current: ReadableSpan | undefined = span; current;) {
    names.push(current.name);
    const parentId: string | undefined = current.parentSpanContext?.spanId;
    current = parentId ? byId.get(parentId) : undefined;
  }
  return names;
}

function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:{([^}]*)})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) return Number(match[3]);
  }
  return undefined;
}

// The whole path of a create, gateway → RabbitMQ → broker → Postgres → outbox relay → RabbitMQ → worker → provider,
// on the real services, read back from an in-memory exporter as the OTLP exporter would have sent it.
describeWithServices('one trace and the metrics of a POST /instances', () => {
  const exporter = new InMemorySpanExporter();
  const brokerRegistry = new Registry();
  const gatewayMetrics = createMetrics({ service: 'gateway-api', defaultMetrics: false });
  let tracing: Tracing | null;
  let testDatabase: TestDatabase;
  let database: Database;
  let broker: RealBroker;
  let gateway: RunningGateway;
  let token: string;

  beforeAll(async () => {
    tracing = startTracing({ serviceName: 'control-plane-test', exporter });
    ({ testDatabase, database } = await openMigratedDatabase());
    broker = await startRealBroker(
      testDatabase.url,
      {},
      {
        brokerRegistry,
        brokerBus: createBusMetrics(brokerRegistry),
        gatewayBus: createBusMetrics(gatewayMetrics.registry),
      },
    );
    gateway = await startGateway({ database, bus: broker.gatewayBus, metrics: gatewayMetrics });
    token = await createToken(database, 'developer');
  });

  afterAll(async () => {
    await gateway?.stop();
    await broker?.stop();
    await database?.close();
    await testDatabase?.drop();
    await tracing?.shutdown();
  });

  it('is one trace from the caller’s traceparent to the provider call, each hop the child of the one before', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const callerSpanId = 'b7ad6b7169203331';
    const response = await fetch(`${gateway.url}/instances`, {
      method: 'POST',
      headers: {
        ...authorization(token),
        'content-type': 'application/json',
        traceparent: `00-${traceId}-${callerSpanId}-01`,
      },
      body: JSON.stringify({ provider: 'fake', image: 'standard-image' }),
    });
    expect(response.status).toBe(200);

    const inTrace = () => exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
    // Spans are exported as they end: the worker's ends after the provider call it made.
    const providerCall = await waitFor('the provider call and the spans around it', () => {
      const call = inTrace().find((span) => span.name === 'provider fake createInstance');
      return call && lineage(call, inTrace()).at(-1) === 'POST /instances' ? call : undefined;
    });
    expect(lineage(providerCall, inTrace())).toEqual([
      'provider fake createInstance',
      'process instance.provision', // the worker
      'publish instance.provision', // the relay's publish
      'outbox relay instance.provision',
      'instance_broker insert instance', // the broker's write, with the outbox row in it
      'instance.create', // the broker answering the RPC
      'instance.create', // the gateway's call over the bus
      'POST /instances', // the gateway's server span
    ]);
    const server = inTrace().find((span) => span.name === 'POST /instances');
    expect(server?.parentSpanContext?.spanId).toBe(callerSpanId);
    expect(server?.attributes['http.response.status_code']).toBe(200);
  });

  it('serves what an operator watches: instances by state, provider latency, outbox, bus and RPC figures', async () => {
    const response = await fetch(`${gateway.url}/instances`, {
      method: 'POST',
      headers: { ...authorization(token), 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'fake', image: 'standard-image' }),
    });
    expect(response.status).toBe(200);
    const { id } = (await response.json()) as { id: string };
    await waitFor('the instance running', async () => {
      const read = await fetch(`${gateway.url}/instances/${id}`, { headers: authorization(token) });
      return ((await read.json()) as { state: string }).state === 'running';
    });

    const brokerText = await brokerRegistry.metrics();
    expect(sample(brokerText, 'instances', { provider: 'fake', state: 'running' })).toBe(2);
    expect(
      sample(brokerText, 'provider_call_duration_seconds_count', {
        provider: 'fake',
        operation: 'createInstance',
        outcome: 'ok',
      }),
    ).toBe(2);
    expect(sample(brokerText, 'outbox_messages', {})).toEqual(expect.any(Number));
    expect(sample(brokerText, 'outbox_oldest_message_age_seconds', {})).toEqual(expect.any(Number));
    expect(
      sample(brokerText, 'bus_messages_delivered_total', { queue: 'instance-broker', redelivered: 'false' }),
    ).toBeGreaterThanOrEqual(2);
    expect(sample(brokerText, 'bus_messages_published_total', { type: 'instance.provision' })).toBe(2);

    const scraped = await fetch(`${gateway.url}/metrics`);
    const gatewayText = await scraped.text();
    expect(sample(gatewayText, 'bus_rpc_duration_seconds_count', { method: 'instance.create', outcome: 'ok' })).toBe(2);
  });
});
