import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One way to answer a request: a status with headers and a JSON body, a cut connection, or no answer at all. */
export type Behaviour =
  { status: number; headers?: Record<string, string>; json?: unknown } | { reset: true } | { hang: true };

export interface SeenRequest {
  method: string;
  url: string;
  idempotencyKey: string | undefined;
  body: string;
  at: number;
}

/** A real HTTP server that answers each request with the next scripted behaviour (the last one repeats). */
export interface FailingServer {
  url: string;
  seen: SeenRequest[];
  script(...behaviours: Behaviour[]): void;
  close(): Promise<void>;
}

export async function startFailingServer(port = 0): Promise<FailingServer> {
  let behaviours: Behaviour[] = [{ status: 200, json: {} }];
  const seen: SeenRequest[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const header = request.headers['idempotency-key'];
      seen.push({
        method: request.method ?? '',
        url: request.url ?? '',
        idempotencyKey: Array.isArray(header) ? header[0] : header,
        body,
        at: Date.now(),
      });
      const behaviour = behaviours.length > 1 ? behaviours.shift() : behaviours[0];
      if (behaviour === undefined || 'hang' in behaviour) {
        hanging.push(response);
        return;
      }
      // Destroying the socket mid-request is what a crashed proxy or a restarting process looks like.
      if ('reset' in behaviour) {
        request.socket.resetAndDestroy();
        return;
      }
      response.writeHead(behaviour.status, {
        'content-type': 'application/json',
        'x-request-id': `req-${seen.length}`,
        ...behaviour.headers,
      });
      response.end(JSON.stringify(behaviour.json ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    seen,
    script: (...next) => {
      behaviours = next;
    },
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The envelope the gateway answers errors with. */
export function errorEnvelope(code: string, message: string, requestId = 'req-envelope'): unknown {
  return { error: { code, message, details: [], request_id: requestId } };
}
