import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Transform, Writable } from 'node:stream';
import { closeIfBodyUnread, type LingerLimits } from './close-after-early-answer';

const mib = 1024 * 1024;

/** What the server saw of one answered connection: how long it stayed open after the answer, how much it read. */
interface Closed {
  afterMs: number;
  readAfterAnswer: number;
}

/**
 * A server answering early as the upload routes do: `/stop-after-1mib` pipes the body into a count that fails past
 * a megabyte (the image inspector past its limit), `/unread` answers before reading anything (another tenant's
 * image), `/whole` reads the whole body first.
 */
async function startServer(limits: LingerLimits) {
  const closes: Promise<Closed>[] = [];
  const server = createServer((req, res) => {
    const answer = (status: number) => {
      const socket = req.socket;
      const answeredAt = Date.now();
      const readBefore = socket.bytesRead;
      closes.push(
        new Promise((resolve) =>
          socket.once('close', () =>
            resolve({ afterMs: Date.now() - answeredAt, readAfterAnswer: socket.bytesRead - readBefore }),
          ),
        ),
      );
      closeIfBodyUnread(req, res, limits);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status }));
    };
    if (req.url === '/unread') return answer(404);
    if (req.url === '/whole') {
      req.resume();
      req.once('end', () => answer(200));
      return;
    }
    let bytes = 0;
    const stopAfterOneMib = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done(bytes > mib ? new Error('too large') : null);
      },
    });
    stopAfterOneMib.once('error', () => answer(413));
    req.pipe(stopAfterOneMib).pipe(new Writable({ write: (_chunk, _encoding, done) => done() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, closes };
}

/**
 * A chunked upload written as fast as the connection takes it (or a chunk every `everyMs`), which never ends unless
 * `bodyBytes` is given and goes on writing after the answer, as a client streaming a large file does.
 */
function upload(server: Server, path: string, options: { everyMs?: number; bodyBytes?: number } = {}) {
  const { port } = server.address() as AddressInfo;
  return new Promise<{ status: number; connectionClose: boolean; error?: string }>((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const chunk = Buffer.alloc(64 * 1024, 1);
    const framed = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    let sent = 0;
    let received = '';
    let error: string | undefined;
    socket.write(`POST ${path} HTTP/1.1\r\nHost: upload\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const write = () => {
      while (!socket.destroyed && socket.writable) {
        if (options.bodyBytes !== undefined && sent >= options.bodyBytes) return void socket.end('0\r\n\r\n');
        sent += chunk.length;
        const more = socket.write(framed);
        if (options.everyMs) return void setTimeout(write, options.everyMs);
        if (!more) return void socket.once('drain', write);
      }
    };
    write();
    socket.on('data', (data: Buffer) => (received += data.toString('latin1')));
    socket.on('error', (thrown: NodeJS.ErrnoException) => (error = thrown.code));
    socket.on('close', () => {
      const head = received.split('\r\n\r\n', 1)[0]!.toLowerCase();
      const status = Number(/^http\/1\.1 (\d{3})/.exec(head)?.[1]);
      resolve({ status, connectionClose: head.includes('connection: close'), ...(error ? { error } : {}) });
    });
  });
}

describe('closing a connection answered before its body was read', () => {
  const servers: Server[] = [];
  const serve = async (limits: LingerLimits) => {
    const started = await startServer(limits);
    servers.push(started.server);
    return started;
  };
  afterAll(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))));

  // Closing at once would reset the connection under a client still writing, which may then lose the answer: the
  // server reads on past its answer, a bounded amount. Closed at once, it would have read nothing more. The bytes
  // are counted every few milliseconds, so a fast client gets a little more than maxBytes in: not its gigabytes.
  it('reads on after the answer up to maxBytes, then closes', async () => {
    const { server, closes } = await serve({ maxBytes: 32 * mib, maxMs: 60_000 });
    expect(await upload(server, '/stop-after-1mib')).toMatchObject({ status: 413, connectionClose: true });
    expect(await upload(server, '/unread')).toMatchObject({ status: 404, connectionClose: true });
    for (const closed of await Promise.all(closes)) {
      expect(closed.readAfterAnswer).toBeGreaterThan(32 * mib);
      expect(closed.readAfterAnswer).toBeLessThan(4 * 32 * mib);
    }
  });

  it('closes after maxMs a client that trickles on, and as soon as the body ends', async () => {
    const { server, closes } = await serve({ maxBytes: 32 * mib, maxMs: 1_000 });
    expect(await upload(server, '/stop-after-1mib', { everyMs: 5 })).toMatchObject({ status: 413 });
    expect(await upload(server, '/unread', { bodyBytes: 256 * 1024 })).toMatchObject({ status: 404 });
    const [trickling, short] = await Promise.all(closes);
    expect(trickling!.afterMs).toBeGreaterThanOrEqual(990);
    expect(trickling!.afterMs).toBeLessThan(5_000);
    expect(trickling!.readAfterAnswer).toBeGreaterThan(0);
    expect(short!.afterMs).toBeLessThan(990);
  });

  it('keeps the connection of an answer given after the whole body', async () => {
    const { server } = await serve({ maxBytes: mib, maxMs: 400 });
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/whole`, { method: 'POST', body: new Uint8Array(4 * mib) });
    expect(response.status).toBe(200);
    expect(response.headers.get('connection')).toBe('keep-alive');
  });
});
