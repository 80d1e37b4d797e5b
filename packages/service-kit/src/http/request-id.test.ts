import express from 'express';
import { correlation } from '../correlation';
import { createLogCapture } from '../log-capture';
import { createLogger } from '../logger';
import { startHttpServer, type RunningHttpServer } from '../server/start-http-server';
import { requestId } from './request-id';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('requestId middleware', () => {
  const capture = createLogCapture();
  const logger = createLogger({ service: 'gateway-api', level: 'info', destination: capture.destination });
  let server: RunningHttpServer;

  beforeAll(async () => {
    const app = express();
    app.use(requestId());
    app.post('/echo', express.json(), async (req, res) => {
      // After body parsing and an await: the context must survive both.
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.info({ body: req.body as unknown }, 'handling echo');
      res.json({ correlationId: correlation.current()?.correlationId });
    });
    server = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
  });
  afterAll(() => server.close());

  const post = (headers: Record<string, string> = {}) =>
    fetch(`${server.url}/echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify({ hello: 'world' }),
    });

  it('adopts a sane incoming X-Request-ID, echoes it and runs the request under it', async () => {
    const response = await post({ 'X-Request-ID': 'edge-proxy:abc.123' });
    expect(response.headers.get('x-request-id')).toBe('edge-proxy:abc.123');
    expect(await response.json()).toEqual({ correlationId: 'edge-proxy:abc.123' });
  });

  it('generates an id when none is given', async () => {
    const response = await post();
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(uuid);
    expect(await response.json()).toEqual({ correlationId: id });
  });

  it.each([
    ['with spaces', 'a b'],
    ['too long', 'x'.repeat(129)],
    ['with a quote', 'abc"def'],
  ])('replaces an incoming id %s with a generated one', async (_label, incoming) => {
    const response = await post({ 'X-Request-ID': incoming });
    expect(response.headers.get('x-request-id')).toMatch(uuid);
  });

  it('puts the request id on log lines emitted while handling the request', async () => {
    await post({ 'X-Request-ID': 'trace-me' });
    expect(capture.lines).toContainEqual(
      expect.objectContaining({ msg: 'handling echo', correlationId: 'trace-me', service: 'gateway-api' }),
    );
  });
});
