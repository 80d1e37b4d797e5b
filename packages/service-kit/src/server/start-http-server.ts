import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger';
import { answerClientErrors } from './answer-client-error';

export interface StartHttpServerOptions {
  /** 0 asks the OS for a free port (tests). */
  port: number;
  /** Default 0.0.0.0: in a container the probes and the load balancer come from outside. */
  host?: string;
  /** How long `close()` waits for in-flight requests before cutting connections (default 10000 ms). */
  shutdownTimeoutMs?: number;
  /** Where requests node could not parse (431, malformed HTTP) are logged as refused; default: not logged. */
  logger?: Logger;
}

export interface RunningHttpServer {
  /** Reachable URL, e.g. `http://127.0.0.1:41234` (a wildcard host is reported as loopback). */
  url: string;
  port: number;
  server: Server;
  /**
   * Stops accepting, lets in-flight requests finish, closes idle keep-alive sockets; after the deadline,
   * cuts the remaining connections and rejects with ShutdownDeadlineError. Calling it again is harmless.
   */
  close(): Promise<void>;
}

export class ShutdownDeadlineError extends Error {
  constructor(timeoutMs: number, openRequests: number) {
    super(`HTTP server still had ${openRequests} request(s) in flight after ${timeoutMs} ms; connections were cut`);
    this.name = 'ShutdownDeadlineError';
  }
}

export async function startHttpServer(
  app: RequestListener,
  options: StartHttpServerOptions,
): Promise<RunningHttpServer> {
  const host = options.host ?? '0.0.0.0';
  const timeoutMs = options.shutdownTimeoutMs ?? 10_000;
  const server = createServer(app);
  answerClientErrors(server, options.logger);
  const inFlight = new Set<ServerResponse>();
  let closing: Promise<void> | undefined;

  server.prependListener('request', (_req, res: ServerResponse) => {
    inFlight.add(res);
    // A request that arrives on a kept-alive socket during shutdown is the last one on that socket.
    if (closing) res.setHeader('Connection', 'close');
    res.once('close', () => {
      inFlight.delete(res);
      // Its socket is now idle: close it rather than wait for the keep-alive timeout.
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve, reject) => {
      for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      let deadlineError: ShutdownDeadlineError | undefined;
      const deadline = setTimeout(() => {
        deadlineError = new ShutdownDeadlineError(timeoutMs, inFlight.size);
        server.closeAllConnections();
      }, timeoutMs);
      server.close((error) => {
        clearTimeout(deadline);
        const failure = deadlineError ?? error;
        if (failure) reject(failure);
        else resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  };

  return { url: `http://${urlHost(host)}:${port}`, port, server, close };
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
