import { request as httpRequest, Agent } from 'node:http';
import express from 'express';
import { ShutdownDeadlineError, startHttpServer } from './start-http-server';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** An app whose `/slow` answers only when the test releases it, and tells the test it has started. */
function appWithControlledRequest() {
  const started = deferred();
  const release = deferred();
  const app = express();
  app.get('/slow', async (_req, res) => {
    started.resolve();
    await release.promise;
    res.json({ finished: true });
  });
  app.get('/fast', (_req, res) => {
    res.json({ fast: true });
  });
  return { app, started, release };
}

/** A GET over a keep-alive agent, so the socket stays open after the response. */
function getWithKeepAlive(url: string, agent: Agent) {
  return new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
    httpRequest(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    })
      .on('error', reject)
      .end();
  });
}

describe('startHttpServer', () => {
  it('listens on a free port when asked for port 0 and reports a reachable URL', async () => {
    const { app } = appWithControlledRequest();
    const server = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(await (await fetch(`${server.url}/fast`)).json()).toEqual({ fast: true });
    await server.close();
  });

  it('reports a wildcard host as loopback', async () => {
    const server = await startHttpServer(express(), { port: 0 });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    await server.close();
  });

  it('rejects when the port is taken', async () => {
    const first = await startHttpServer(express(), { port: 0, host: '127.0.0.1' });
    await expect(startHttpServer(express(), { port: first.port, host: '127.0.0.1' })).rejects.toThrow(/EADDRINUSE/);
    await first.close();
  });

  it('on close, finishes an in-flight request before resolving, then refuses new connections', async () => {
    const { app, started, release } = appWithControlledRequest();
    const server = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
    const inFlight = fetch(`${server.url}/slow`);
    await started.promise;

    let closed = false;
    const closing = server.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);

    release.resolve();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ finished: true });
    await closing;
    expect(closed).toBe(true);
    await expect(fetch(`${server.url}/fast`)).rejects.toThrow();
  });

  it('tells the client of an in-flight request to drop its keep-alive connection', async () => {
    const { app, started, release } = appWithControlledRequest();
    const server = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
    const agent = new Agent({ keepAlive: true });
    const inFlight = getWithKeepAlive(`${server.url}/slow`, agent);
    await started.promise;
    const closing = server.close();
    release.resolve();
    expect(await inFlight).toEqual({ status: 200, connection: 'close' });
    await closing;
    agent.destroy();
  });

  it('closes idle keep-alive connections instead of waiting for their timeout', async () => {
    const { app } = appWithControlledRequest();
    const server = await startHttpServer(app, { port: 0, host: '127.0.0.1', shutdownTimeoutMs: 60_000 });
    // Longer than the test timeout: only an active close of the idle socket lets close() resolve in time.
    server.server.keepAliveTimeout = 120_000;
    const agent = new Agent({ keepAlive: true });
    expect(await getWithKeepAlive(`${server.url}/fast`, agent)).toEqual({ status: 200, connection: 'keep-alive' });
    await expect(server.close()).resolves.toBeUndefined();
    agent.destroy();
  });

  it('cuts connections and rejects when in-flight requests outlive the deadline', async () => {
    const { app, started, release } = appWithControlledRequest();
    const server = await startHttpServer(app, { port: 0, host: '127.0.0.1', shutdownTimeoutMs: 20 });
    const inFlight = fetch(`${server.url}/slow`).catch((error: unknown) => error);
    await started.promise;
    await expect(server.close()).rejects.toBeInstanceOf(ShutdownDeadlineError);
    // fetch's TypeError comes from another realm than jest's, so match its shape, not its class.
    expect(await inFlight).toMatchObject({ message: 'fetch failed' });
    release.resolve();
  });

  it('returns the same outcome when close is called twice', async () => {
    const server = await startHttpServer(express(), { port: 0, host: '127.0.0.1' });
    await Promise.all([server.close(), server.close()]);
    await expect(server.close()).resolves.toBeUndefined();
  });
});
