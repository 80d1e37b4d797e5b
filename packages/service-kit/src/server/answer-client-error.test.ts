import { connect } from 'node:net';
import express from 'express';
import { startHttpServer, type RunningHttpServer } from './start-http-server';

/** Writes `raw` as is and reads until the server closes: node's own client refuses to send these requests. */
function exchange(port: number, raw: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.from(raw, 'latin1')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error) => {
      if (chunks.length === 0) reject(error);
    });
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), headers: head.toLowerCase(), body });
    });
  });
}

describe('requests node cannot parse', () => {
  let server: RunningHttpServer;

  beforeAll(async () => {
    server = await startHttpServer(
      express().get('/', (_req, res) => void res.json({ ok: true })),
      { port: 0, host: '127.0.0.1' },
    );
  });
  afterAll(() => server.close());

  it('answers a URL over the header limit with 431 and the envelope', async () => {
    const answer = await exchange(server.port, `GET /?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: a\r\n\r\n`);
    expect(answer.status).toBe(431);
    expect(answer.headers).toContain('content-type: application/json; charset=utf-8');
    const body = JSON.parse(answer.body) as {
      error: { code: string; details: { path: string }[]; request_id: string };
    };
    expect(body.error).toMatchObject({
      code: 'headers_too_large',
      details: [{ path: 'url', message: expect.stringContaining('16384 bytes') }],
    });
    expect(answer.headers).toContain(`x-request-id: ${body.error.request_id.toLowerCase()}`);
  });

  it('answers headers over the limit with 431 and the envelope', async () => {
    const answer = await exchange(server.port, `GET / HTTP/1.1\r\nHost: a\r\nX-Padding: ${'y'.repeat(20_000)}\r\n\r\n`);
    expect(answer.status).toBe(431);
    expect(JSON.parse(answer.body)).toMatchObject({
      error: { code: 'headers_too_large', details: [{ path: 'headers.x-padding' }] },
    });
  });

  it('answers a NUL in a header value with 400 and the envelope naming the header', async () => {
    const answer = await exchange(server.port, 'GET / HTTP/1.1\r\nHost: a\r\nIdempotency-Key: a\u0000b\r\n\r\n');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({
      error: {
        code: 'bad_request',
        details: [{ path: 'headers.idempotency-key', message: expect.stringMatching(/^is not valid HTTP: /) }],
      },
    });
  });

  it('answers a malformed request line with 400 naming the URL, and keeps serving well-formed requests', async () => {
    const answer = await exchange(server.port, 'GET /a b c HTTP/1.1\r\n\r\n');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'bad_request', details: [{ path: 'url' }] } });
    expect(await (await fetch(`${server.url}/`)).json()).toEqual({ ok: true });
  });
});
