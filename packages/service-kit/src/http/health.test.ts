import { createLogCapture } from '../log-capture';
import { createLogger } from '../logger';
import { startHttpServer, type RunningHttpServer } from '../server/start-http-server';
import { createMetrics } from './metrics';
import type { ReadinessCheck } from './health';
import { createOpsApp } from './service-app';

describe('ops app health endpoints', () => {
  const capture = createLogCapture();
  const running: RunningHttpServer[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.close()));
  });

  async function serve(checks: Record<string, ReadinessCheck>) {
    const app = createOpsApp({
      checks,
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
    expect(await response.json()).toEqual({ status: 'ready', checks: { database: 'ok', broker: 'ok' }, failed: [] });
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
      status: 'unready',
      checks: { database: 'failed', broker: 'failed', cache: 'ok' },
      failed: ['database', 'broker'],
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
    expect(await response.json()).toMatchObject({ checks: { database: 'timed out' }, failed: ['database'] });
  });

  it('counts a check that throws synchronously as failed', async () => {
    const server = await serve({
      broker: () => {
        throw new Error('not connected');
      },
    });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
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
