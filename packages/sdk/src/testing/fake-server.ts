import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authenticateInitScript, authenticateToken, readCredential } from './fake-auth';
import { buildRoutes } from './fake-build-routes';
import { catalogRoutes } from './fake-catalog-routes';
import type { FakeReply, FakeRequest, FakeRoute } from './fake-http';
import { errorBody, FakeHttpError, matchRoute, requireAdmin } from './fake-http';
import { instanceRoutes } from './fake-instance-routes';
import { quotaRoutes } from './fake-quota';
import type { FakeState } from './fake-state';
import { createFakeState, issueToken } from './fake-state';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface FakeOvercastServer {
  url: string;
  adminToken: string;
  developerToken: string;
  state: FakeState;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const routes: FakeRoute[] = [...instanceRoutes, ...buildRoutes, ...catalogRoutes, ...quotaRoutes];

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === '') return undefined;
  if (contentType?.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new FakeHttpError(400, 'bad_request', 'the body is not valid JSON');
  }
}

function dispatch(state: FakeState, message: IncomingMessage, url: URL, raw: string): FakeReply {
  const candidates = routes.map((route) => ({ route, params: matchRoute(route.pattern, url.pathname) }));
  const matching = candidates.filter((candidate) => candidate.params !== undefined);
  const found = matching.find(({ route }) => route.method === message.method);
  if (found === undefined) {
    if (matching.length > 0)
      throw new FakeHttpError(405, 'method_not_allowed', `${message.method} is not allowed here`);
    throw new FakeHttpError(404, 'not_found', `no route for ${url.pathname}`);
  }
  const params = found.params ?? {};
  const credential = readCredential(message.headers);
  let caller;
  if (found.route.pattern === '/init-scripts/:build_id')
    authenticateInitScript(state, credential, params.build_id ?? '');
  else if (found.route.access !== 'public') caller = authenticateToken(state, credential);
  const request: FakeRequest = {
    method: message.method ?? 'GET',
    path: url.pathname,
    params,
    query: url.searchParams,
    headers: message.headers,
    body: parseBody(raw, message.headers['content-type']),
    caller,
    state,
  };
  if (found.route.access === 'admin') requireAdmin(request);
  return found.route.handle(request);
}

function send(response: ServerResponse, reply: FakeReply, requestId: string): void {
  response.setHeader('X-Request-ID', requestId);
  for (const [name, value] of Object.entries(reply.headers ?? {})) response.setHeader(name, value);
  if (reply.json !== undefined) {
    response.writeHead(reply.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(reply.json));
  } else if (reply.text !== undefined) {
    response.writeHead(reply.status, { 'Content-Type': reply.contentType ?? 'text/plain' }).end(reply.text);
  } else {
    response.writeHead(reply.status).end();
  }
}

/**
 * An in-memory Overcast gateway on a loopback port, answering the routes the SDK and CLI use the way
 * openapi.yaml says (status codes, bodies, error envelopes and legacy error lists). For tests only.
 */
export async function startFakeOvercastServer(): Promise<FakeOvercastServer> {
  const state = createFakeState();
  const adminToken = issueToken(state, 'fake admin', 'admin').secret;
  const developerToken = issueToken(state, 'fake developer', 'developer').secret;
  const requests: RecordedRequest[] = [];
  const server = createServer((message, response) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(message.url ?? '/', 'http://fake');
      const requestId =
        typeof message.headers['x-request-id'] === 'string' ? message.headers['x-request-id'] : randomUUID();
      requests.push({ method: message.method ?? 'GET', url: message.url ?? '/', headers: message.headers, body: raw });
      try {
        send(response, dispatch(state, message, url, raw), requestId);
      } catch (error) {
        const httpError = error instanceof FakeHttpError ? error : new FakeHttpError(500, 'internal', 'internal error');
        const headers =
          httpError.status === 401 ? { 'WWW-Authenticate': 'token, Bearer, Basic realm="overcast"' } : undefined;
        send(
          response,
          {
            status: httpError.status,
            json: errorBody(url.pathname, httpError, requestId),
            ...(headers ? { headers } : {}),
          },
          requestId,
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    adminToken,
    developerToken,
    state,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
