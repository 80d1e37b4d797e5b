import express from 'express';
import { AppError, errorCodes, type ErrorCode } from '@overcast/contracts';
import { createLogCapture } from '../log-capture';
import { createLogger } from '../logger';
import { startHttpServer, type RunningHttpServer } from '../server/start-http-server';
import { errorHandler, notFoundHandler } from './error-handler';
import { httpStatusByErrorCode } from './error-status';
import { requestId } from './request-id';

const expectedStatus: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  headers_too_large: 431,
  unsupported_media_type: 415,
  unprocessable: 422,
  quota_exceeded: 403,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  timeout: 504,
};

describe('error handling', () => {
  const capture = createLogCapture();
  let server: RunningHttpServer;

  beforeAll(async () => {
    const app = express();
    app.use(requestId());
    app.get('/codes/:code', (req) => {
      throw new AppError(req.params.code as ErrorCode, `failed with ${req.params.code}`, {
        details: [{ path: 'body.name', message: 'is required' }],
      });
    });
    app.get('/async-failure', async () => {
      await Promise.resolve();
      throw new AppError('conflict', 'instance is already terminating');
    });
    app.get('/bug', () => {
      throw new TypeError('cannot read properties of undefined (reading "secretToken")');
    });
    app.get('/internal-app-error', () => {
      throw new AppError('internal', 'pool exhausted at 10.0.0.5');
    });
    app.post('/json', express.json({ limit: 64 }), (req, res) => {
      res.json({ received: req.body as unknown });
    });
    app.use(notFoundHandler());
    app.use(
      errorHandler({ logger: createLogger({ service: 'test', level: 'debug', destination: capture.destination }) }),
    );
    server = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
  });
  afterAll(() => server.close());

  it('has one status for every error code', () => {
    expect(Object.keys(httpStatusByErrorCode).sort()).toEqual([...errorCodes].sort());
  });

  it.each(errorCodes.filter((code) => code !== 'internal'))(
    'answers an AppError %s with its status and envelope',
    async (code) => {
      const response = await fetch(`${server.url}/codes/${code}`, { headers: { 'X-Request-ID': `req-${code}` } });
      expect(response.status).toBe(expectedStatus[code]);
      expect(await response.json()).toEqual({
        error: {
          code,
          message: `failed with ${code}`,
          details: [{ path: 'body.name', message: 'is required' }],
          request_id: `req-${code}`,
        },
      });
    },
  );

  it('maps a rejected async handler too', async () => {
    const response = await fetch(`${server.url}/async-failure`);
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('conflict');
  });

  it('answers an unexpected error 500 internal without internals, and logs it with its cause', async () => {
    const response = await fetch(`${server.url}/bug`, { headers: { 'X-Request-ID': 'req-bug' } });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: 'internal', message: 'internal error', details: [], request_id: 'req-bug' },
    });
    expect(text).not.toContain('secretToken');
    const logged = capture.lines.find((line) => line.requestId === 'req-bug');
    expect(logged).toMatchObject({
      level: 'error',
      err: { type: 'TypeError', message: expect.stringContaining('secretToken') },
    });
  });

  it('never returns the message of an AppError internal either', async () => {
    const body = await (await fetch(`${server.url}/internal-app-error`)).text();
    expect(body).not.toContain('10.0.0.5');
  });

  it('answers malformed JSON with 400 bad_request naming the problem', async () => {
    const response = await fetch(`${server.url}/json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"name": ',
    });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string; details: unknown[] } };
    expect(error.code).toBe('bad_request');
    expect(error.message).toMatch(/^request body is not valid: .*JSON/);
    expect(error.details).toEqual([{ path: 'body', message: expect.stringMatching(/^is not valid JSON: /) }]);
  });

  it('answers a body over the limit with 413 payload_too_large', async () => {
    const response = await fetch(`${server.url}/json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(200) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      error: {
        code: 'payload_too_large',
        message: 'request body is larger than the limit of 64 bytes',
        details: [{ path: 'body', message: 'is larger than the limit of 64 bytes' }],
      },
    });
  });

  it('answers an unsupported charset with 415 unsupported_media_type', async () => {
    const response = await fetch(`${server.url}/json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=klingon' },
      body: '{}',
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({
      error: { code: 'unsupported_media_type', details: [{ path: 'headers.content-type' }] },
    });
  });

  it('answers an unknown route with a JSON 404 in the same envelope', async () => {
    const response = await fetch(`${server.url}/nowhere?x=1`, { method: 'DELETE' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      error: {
        code: 'not_found',
        message: 'no route for DELETE /nowhere',
        request_id: response.headers.get('x-request-id'),
      },
    });
  });
});
