import { connect } from 'node:net';

export interface RawRequest {
  method: string;
  /** Sent byte for byte as the request target: bad percent-encoding and all. */
  target: string;
  /** Sent as their UTF-8 bytes, unchecked: NUL, other control characters, 20 KB values. */
  headers?: [string, string][];
  body?: Buffer | string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function decodeChunked(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', offset);
    if (lineEnd < 0) throw new Error('truncated chunked body');
    const size = Number.parseInt(raw.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size)) throw new Error('bad chunk size');
    if (size === 0) return Buffer.concat(parts);
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
}

function parseResponse(raw: Buffer): RawResponse {
  const headEnd = raw.indexOf('\r\n\r\n');
  if (headEnd < 0)
    throw new Error(`no complete response head in ${JSON.stringify(raw.subarray(0, 200).toString('latin1'))}`);
  const [statusLine = '', ...lines] = raw.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  if (!Number.isInteger(status)) throw new Error(`not an HTTP status line: ${JSON.stringify(statusLine)}`);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = raw.subarray(headEnd + 4);
  const body = headers['transfer-encoding']?.toLowerCase() === 'chunked' ? decodeChunked(rest) : rest;
  return { status, headers, body: body.toString('utf8') };
}

/**
 * One request over a fresh socket, written exactly as given (node's http client refuses, on the client side,
 * the hostile targets and header values these tests must send), read until the server closes the connection.
 */
export function sendRaw(port: number, request: RawRequest, timeoutMs = 10_000): Promise<RawResponse> {
  const body =
    request.body === undefined
      ? undefined
      : Buffer.isBuffer(request.body)
        ? request.body
        : Buffer.from(request.body, 'utf8');
  const headers: [string, string][] = [
    ['Host', `127.0.0.1:${port}`],
    ['Connection', 'close'],
    ...(request.headers ?? []),
  ];
  if (body !== undefined) headers.push(['Content-Length', String(body.length)]);
  const head = `${request.method} ${request.target} HTTP/1.1\r\n${headers.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(
        new Error(`no complete answer to ${request.method} ${request.target.slice(0, 100)} within ${timeoutMs} ms`),
      ),
    );
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // The server may answer (413, 431) and close before it read the whole request: a reset after an answer is no failure.
    socket.on('error', (error) => {
      if (chunks.length === 0) reject(error);
    });
    socket.on('close', () => {
      if (chunks.length === 0)
        return reject(
          new Error(`connection closed without an answer to ${request.method} ${request.target.slice(0, 100)}`),
        );
      try {
        resolve(parseResponse(Buffer.concat(chunks)));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.write(Buffer.from(head, 'utf8'));
    if (body !== undefined) socket.write(body);
  });
}
