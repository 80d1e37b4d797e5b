import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuth2Client } from 'google-auth-library';
import type { GceClientOptions } from '../../src/gce';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  headers: IncomingHttpHeaders;
}

export interface CannedResponse {
  status?: number;
  body: unknown;
}

export const testAccessToken = 'ya29.loopback-test-token';

/** The Compute API's error body, as the REST endpoint sends it. */
export function computeError(code: number, reason: string, message: string): CannedResponse {
  return { status: code, body: { error: { code, message, errors: [{ message, domain: 'global', reason }] } } };
}

/**
 * A loopback HTTP server standing in for compute.googleapis.com. The real client library serializes every
 * request and sends it here over HTTP/1.1; tests script the answers per method + path and assert the
 * recorded requests. A request nobody scripted answers 501, so it fails the test loudly.
 */
export async function startComputeApi() {
  const routes = new Map<string, CannedResponse[]>();
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://loopback');
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: request.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: text ? (JSON.parse(text) as unknown) : undefined,
        headers: request.headers,
      };
      requests.push(recorded);
      const queue = routes.get(`${recorded.method} ${recorded.path}`);
      // The last scripted answer repeats; earlier ones are used once each, in order.
      const answer = queue && queue.length > 1 ? queue.shift() : queue?.[0];
      const { status, body } =
        answer ?? computeError(501, 'notScripted', `${recorded.method} ${recorded.path} not scripted`);
      response.writeHead(status ?? 200, { 'content-type': 'application/json; charset=UTF-8' });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  // A real OAuth2 client holding a fixed, unexpired token: it signs requests without any network. gaxios
  // loads node-fetch with a dynamic import(), which jest's module sandbox refuses, so tests hand it Node's
  // own fetch; request encoding and decoding stay the library's.
  const authClient = new OAuth2Client({ transporterOptions: { fetchImplementation: globalThis.fetch } });
  authClient.setCredentials({
    access_token: testAccessToken,
    token_type: 'Bearer',
    expiry_date: Date.now() + 3_600_000,
  });

  return {
    requests,
    /** Script the answers to `METHOD /compute/v1/...`. */
    reply(method: string, path: string, ...answers: (CannedResponse | unknown)[]) {
      routes.set(
        `${method} ${path}`,
        answers.map((answer) => (isCanned(answer) ? answer : { body: answer })),
      );
    },
    /** Forget scripted answers and recorded requests (one server per test file, reset per test). */
    reset() {
      routes.clear();
      requests.length = 0;
    },
    /** `method path` of every request, for asserting the exact sequence. */
    calls: () => requests.map((request) => `${request.method} ${request.path}`),
    clientOptions: (): GceClientOptions => ({ apiEndpoint: '127.0.0.1', port, protocol: 'http', authClient }),
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

function isCanned(answer: unknown): answer is CannedResponse {
  return (
    typeof answer === 'object' &&
    answer !== null &&
    'body' in answer &&
    Object.keys(answer).every((key) => key === 'body' || key === 'status')
  );
}

export type ComputeApi = Awaited<ReturnType<typeof startComputeApi>>;
