import { createServer, Socket } from 'node:net';
import type { Server } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Drop every connection and refuse new ones: to its clients, the broker is down. */
  cut(): Promise<void>;
  /** Accept connections again on the same port: the broker is back. */
  restore(): Promise<void>;
  close(): Promise<void>;
  /** Hold back what the broker sends (confirms, deliveries) while what clients send still reaches it. */
  holdReplies(): void;
  /** Pass on what was held back and everything after it. */
  releaseReplies(): void;
}

/**
 * A loopback proxy in front of the real broker, so one test can "restart" the broker for its own clients
 * without disturbing anything else that uses it.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const pipes = new Map<Socket, Socket>();
  let server: Server | undefined;
  let port = 0;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const listening = createServer((client) => {
        const upstream = new Socket();
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.setNoDelay(true);
          socket.on('error', () => socket.destroy());
          socket.on('close', () => {
            sockets.delete(socket);
            client.destroy();
            upstream.destroy();
          });
        }
        upstream.connect(target.port, target.host);
        client.pipe(upstream);
        upstream.pipe(client);
        pipes.set(upstream, client);
        upstream.on('close', () => pipes.delete(upstream));
      });
      listening.once('error', reject);
      listening.listen(port, '127.0.0.1', () => {
        const address = listening.address();
        if (address && typeof address === 'object') port = address.port;
        server = listening;
        resolve();
      });
    });

  const cut = async () => {
    const closing = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };

  let holding = false;
  const holdReplies = () => {
    holding = true;
    for (const [upstream, client] of pipes) {
      upstream.unpipe(client);
      upstream.pause();
    }
  };
  // Piping a second time would hand the client every later byte twice: release only what is held.
  const releaseReplies = () => {
    if (!holding) return;
    holding = false;
    for (const [upstream, client] of pipes) upstream.pipe(client);
  };

  await listen();
  return { port, cut, restore: listen, close: cut, holdReplies, releaseReplies };
}
