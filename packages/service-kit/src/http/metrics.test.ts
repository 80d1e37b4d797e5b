import express, { Router } from 'express';
import { startHttpServer, type RunningHttpServer } from '../server/start-http-server';
import { createMetrics, unmatchedRoute } from './metrics';

describe('createMetrics', () => {
  const metrics = createMetrics({ service: 'gateway-api' });
  let server: RunningHttpServer;

  beforeAll(async () => {
    const app = express();
    app.use(metrics.middleware());
    app.get('/metrics', metrics.handler());
    const instances = Router();
    instances.get('/:id', (req, res) => {
      res.json({ id: req.params.id });
    });
    instances.delete('/:id', () => {
      throw new Error('boom');
    });
    app.use('/instances', instances);
    server = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
  });
  afterAll(() => server.close());

  const scrape = async () => {
    const response = await fetch(`${server.url}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return response.text();
  };

  it('exposes a request duration histogram labelled with the route pattern, not the raw path', async () => {
    await fetch(`${server.url}/instances/i-123`);
    await fetch(`${server.url}/instances/i-456`);
    const text = await scrape();
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toMatch(
      /http_request_duration_seconds_count\{service="gateway-api",method="GET",route="\/instances\/:id",status_code="200"\} 2/,
    );
    expect(text).not.toContain('i-123');
  });

  it('labels a failed request with its route and status', async () => {
    await fetch(`${server.url}/instances/i-1`, { method: 'DELETE' });
    expect(await scrape()).toMatch(/route="\/instances\/:id",status_code="500"/);
  });

  it('labels unmatched requests as one series, whatever the path', async () => {
    await fetch(`${server.url}/wp-admin/setup.php`);
    await fetch(`${server.url}/.env`);
    const text = await scrape();
    expect(text).toMatch(
      new RegExp(`_count\\{service="gateway-api",method="GET",route="${unmatchedRoute}",status_code="404"\\} 2`),
    );
    expect(text).not.toContain('wp-admin');
  });

  it('includes the default process metrics', async () => {
    expect(await scrape()).toContain('process_cpu_user_seconds_total');
  });

  it('keeps one registry per service', () => {
    const other = createMetrics({ service: 'instance-broker', defaultMetrics: false });
    expect(other.registry).not.toBe(metrics.registry);
    expect(other.registry.getSingleMetric('process_cpu_user_seconds_total')).toBeUndefined();
  });
});
