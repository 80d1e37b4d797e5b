import express from 'express';
import { createLogCapture } from '../log-capture';
import { createLogger } from '../logger';
import { startHttpServer, type RunningHttpServer } from '../server/start-http-server';
import { accessLog } from './access-log';

describe('accessLog', () => {
  let server: RunningHttpServer;
  const capture = createLogCapture();

  beforeAll(async () => {
    const app = express();
    app.use(accessLog({ logger: createLogger({ service: 's', level: 'debug', destination: capture.destination }) }));
    app.get('/instances/:id', (_req, res) => void res.json({ state: 'starting' }));
    app.get('/readyz', (_req, res) => void res.json({ status: 'ready' }));
    app.post('/instances', (_req, res) => void res.status(201).json({}));
    app.use((_req, res) => void res.status(404).json({}));
    server = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
  });
  afterAll(() => server.close());

  async function levelOf(method: string, path: string): Promise<unknown> {
    const before = capture.lines.length;
    await (await fetch(`${server.url}${path}`, { method })).text();
    const line = await new Promise<Record<string, unknown> | undefined>((resolve) =>
      setImmediate(() => resolve(capture.lines.slice(before).find((entry) => entry.msg === 'request completed'))),
    );
    return line?.level;
  }

  it('logs a waiter polling an instance, and readiness probes, at debug', async () => {
    await expect(levelOf('GET', '/instances/i-1')).resolves.toBe('debug');
    await expect(levelOf('GET', '/readyz')).resolves.toBe('debug');
  });

  it('logs what changes something, and every failed request, at info', async () => {
    await expect(levelOf('POST', '/instances')).resolves.toBe('info');
    await expect(levelOf('GET', '/instances-nowhere')).resolves.toBe('info');
  });

  it('writes nothing for routine requests at info, the default level', async () => {
    const lines: string[] = [];
    const app = express();
    app.use(
      accessLog({
        logger: createLogger({ service: 's', level: 'info', destination: { write: (l) => lines.push(l) } }),
      }),
    );
    app.get('/instances/:id', (_req, res) => void res.json({}));
    const quiet = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
    try {
      await (await fetch(`${quiet.url}/instances/i-1`)).text();
      await (await fetch(`${quiet.url}/readyz`)).text();
      await new Promise((resolve) => setImmediate(resolve));
      expect(lines.filter((line) => line.includes('/instances/i-1') || line.includes('/readyz'))).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
