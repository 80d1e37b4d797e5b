import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { createLogCapture } from '../log-capture';
import { createLogger } from '../logger';
import { createMetrics } from '../http/metrics';
import { createServiceApp } from '../http/service-app';
import { parseConfig } from '../config/parse-config';
import { startHttpServer, type RunningHttpServer } from '../server/start-http-server';
import { startMetricsServer } from './metrics-server';
import { startTracing, type Tracing } from './start-tracing';
import { tracingSettingsOf, tracingVariables } from './tracing-variables';

describe('HTTP server spans', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing | null;
  const running: RunningHttpServer[] = [];
  const seenInRoute: string[] = [];
  beforeAll(() => {
    tracing = startTracing({ serviceName: 'kit-test', exporter });
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.close()));
    exporter.reset();
  });
  afterAll(async () => {
    await tracing?.shutdown();
  });

  async function serve(options: { serveMetrics?: boolean } = {}) {
    const metrics = createMetrics({ service: 'kit-test', defaultMetrics: false });
    const app = createServiceApp({
      logger: createLogger({ service: 'kit-test', level: 'silent', destination: createLogCapture().destination }),
      metrics,
      serveMetrics: options.serveMetrics,
      routes: (routes) =>
        routes.get('/things/:id', (_req, res) => {
          seenInRoute.push(trace.getSpan(context.active())?.spanContext().traceId ?? 'none');
          res.json({ ok: true });
        }),
    });
    const server = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
    running.push(server);
    return { server, metrics };
  }

  it('continues an incoming traceparent and names the span by its route pattern, not the path', async () => {
    const { server } = await serve();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(`${server.url}/things/42`, {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(response.status).toBe(200);
    expect(seenInRoute.at(-1)).toBe(traceId);
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('GET /things/:id');
    expect(span?.spanContext().traceId).toBe(traceId);
    expect(span?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(span?.attributes['http.response.status_code']).toBe(200);
  });

  it('starts a new trace without a traceparent, and ignores a malformed one', async () => {
    const { server } = await serve();
    await fetch(`${server.url}/things/1`, { headers: { traceparent: 'not-a-trace' } });
    const [span] = exporter.getFinishedSpans();
    expect(span?.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span?.parentSpanContext).toBeUndefined();
  });

  it('serves /metrics on a port of its own when asked, and not on the service port', async () => {
    const { server, metrics } = await serve({ serveMetrics: false });
    const metricsServer = await startMetricsServer(metrics, { port: 0, host: '127.0.0.1' });
    running.push(metricsServer);
    await fetch(`${server.url}/things/1`);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    const scraped = await fetch(`${metricsServer.url}/metrics`);
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toMatch(/^http_request_duration_seconds_count{[^}]*route="\/things\/:id"[^}]*} 1$/m);
  });
});

describe('tracing configuration', () => {
  it('is off without an OTLP endpoint: nothing is registered', () => {
    const settings = tracingSettingsOf(parseConfig(tracingVariables, {}));
    expect(settings.tracesUrl).toBeUndefined();
    expect(startTracing({ serviceName: 'kit-test', settings })).toBeNull();
  });

  it('sends to <endpoint>/v1/traces, or to the traces endpoint when given', () => {
    const base = tracingSettingsOf(
      parseConfig(tracingVariables, {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20x,team=core',
      }),
    );
    expect(base).toMatchObject({
      tracesUrl: 'http://collector:4318/v1/traces',
      headers: { authorization: 'Bearer x', team: 'core' },
    });
    const explicit = parseConfig(tracingVariables, {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otlp.example/traces',
    });
    expect(tracingSettingsOf(explicit).tracesUrl).toBe('https://otlp.example/traces');
  });

  it('names the variable of a bad endpoint', () => {
    expect(() => parseConfig(tracingVariables, { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
  });
});
