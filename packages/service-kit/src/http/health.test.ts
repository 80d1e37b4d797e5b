import { createLogCapture } from '../log-capture';
import { createLogger } from '../logger';
import { startHttpServer, type RunningHttpServer } from '../server/start-http-server';
import { createMetrics } from './metrics';
import type { ReadinessCheck } from './health';
import { createOpsApp, type ServiceAppOptions } from './service-app';

describe('ops app health endpoints', () => {
  const capture = createLogCapture();
  const running: RunningHttpServer[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.close()));
  });

  async function serve(checks: Record<string, ReadinessCheck>, reportServices?: ServiceAppOptions['reportServices']) {
    const app = createOpsApp({
      checks,
      reportServices,
      readinessTimeoutMs: 50,
      metrics: createMetrics({ service: 'instance-broker', defaultMetrics: false }),
      logger: createLogger({ service: 'instance-broker', level: 'info', destination: capture.destination }),
    });
    const server = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
    running.push(server);
    return server;
  }

  it('answers /healthz without running any check', async () => {
    const check = jest.fn(() => Promise.reject(new Error('database down')));
    const server = await serve({ database: check });
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(check).not.toHaveBeenCalled();
  });

  it('answers /readyz 200 when every check passes', async () => {
    const server = await serve({ database: () => Promise.resolve(), broker: () => true });
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', checks: { database: true, broker: true } });
  });

  it('answers /readyz 503 naming the failing checks, without their internals', async () => {
    const server = await serve({
      database: () => Promise.reject(new Error('connect ECONNREFUSED 10.1.2.3:5432')),
      broker: () => false,
      cache: () => Promise.resolve(true),
    });
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      status: 'not_ready',
      checks: { database: false, broker: false, cache: true },
    });
    expect(text).not.toContain('10.1.2.3');
    expect(capture.lines).toContainEqual(
      expect.objectContaining({
        check: 'database',
        err: expect.objectContaining({ message: expect.stringContaining('ECONNREFUSED') }),
      }),
    );
  });

  it('counts a check that hangs past the timeout as failed', async () => {
    const server = await serve({ database: () => new Promise<void>(() => undefined) });
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'not_ready', checks: { database: false } });
    expect(capture.lines).toContainEqual(expect.objectContaining({ check: 'database', outcome: 'timed out' }));
  });

  it('counts a check that throws synchronously as failed', async () => {
    const server = await serve({
      broker: () => {
        throw new Error('not connected');
      },
    });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
  });

  it('reports the services it watches beside its readiness, never folded into it', async () => {
    const server = await serve({ database: () => true }, () =>
      Promise.resolve({ 'instance-broker': true, registry: false }),
    );
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      checks: { database: true },
      services: { 'instance-broker': true, registry: false },
    });
  });

  it('answers another method on /healthz, /readyz or /metrics 405 naming GET', async () => {
    const server = await serve({});
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      const response = await fetch(`${server.url}${path}`, { method: 'POST' });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET');
      expect(await response.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
    }
  });

  it('serves /metrics and a JSON 404 for anything else', async () => {
    const server = await serve({});
    await fetch(`${server.url}/healthz`);
    expect(await (await fetch(`${server.url}/metrics`)).text()).toContain('route="/healthz"');
    const missing = await fetch(`${server.url}/instances`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
