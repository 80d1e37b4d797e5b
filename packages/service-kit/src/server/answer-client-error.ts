import { randomUUID } from 'node:crypto';
import { maxHeaderSize, STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { AppError } from '@overcast/contracts';
import pino from 'pino';
import { errorResponse } from '../http/error-handler';
import { requestIdHeader } from '../http/request-id';
import type { Logger } from '../logger';

/** What node's http parser attaches to the errors of a request it could not parse. */
interface ClientError extends Error {
  code?: string;
  reason?: string;
  /** The chunk being parsed when the parser stopped, and how far into it. */
  rawPacket?: Buffer;
  bytesParsed?: number;
}

const headerLine = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):/;
const requestLineStart = /^[A-Z]+ /;

/**
 * The part of the request the parser stopped in: `url` while still in the request line, `headers.<name>` inside a
 * header, else `headers`. Read from the chunk it stopped in, which starts the request when the request is small.
 */
function placeOf(error: ClientError): string {
  if (!error.rawPacket || error.bytesParsed === undefined) return 'headers';
  const parsed = error.rawPacket.subarray(0, error.bytesParsed).toString('latin1');
  if (requestLineStart.test(parsed) && !parsed.includes('\n')) return 'url';
  const name = headerLine.exec(parsed.slice(parsed.lastIndexOf('\n') + 1))?.[1];
  return name ? `headers.${name.toLowerCase()}` : 'headers';
}

const unlogged = pino({ level: 'silent' });

function refusalOf(error: ClientError, limitBytes: number): AppError {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new AppError('headers_too_large', `the URL and headers are larger than the limit of ${limitBytes} bytes`, {
        details: [{ path: placeOf(error), message: `makes the URL and headers larger than ${limitBytes} bytes` }],
      });
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new AppError('payload_too_large', 'the chunk extensions of the body are too large', {
        details: [{ path: 'body', message: 'has chunk extensions that are too large' }],
      });
    default: {
      const reason = error.reason ?? error.message;
      return new AppError('bad_request', `the request is not valid HTTP: ${reason}`, {
        details: [{ path: placeOf(error), message: `is not valid HTTP: ${reason}` }],
      });
    }
  }
}

/**
 * Answers a request node's http parser refused (URL and headers over `maxHeaderSize`, a NUL in a header value, a
 * malformed request line) with the JSON error envelope, where node would write a bare status line with no body.
 * A timed-out request still gets node's own bodyless 408: the client stopped sending and reads nothing. The limit
 * is node's (`--max-http-header-size`, 16 KB by default), which servers made here do not override.
 */
export function answerClientErrors(server: Server, logger: Logger = unlogged): void {
  server.on('clientError', (error: ClientError, socket: Duplex) => {
    // Nothing can be written to a socket the client reset or that is already closing.
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT')
      return void socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
    const requestId = randomUUID();
    const { status, body } = errorResponse(logger, refusalOf(error, maxHeaderSize), {
      requestId,
      method: 'unparsed',
      path: 'unparsed',
    });
    const text = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(text)}\r\n` +
        `${requestIdHeader}: ${requestId}\r\n` +
        'Connection: close\r\n\r\n' +
        text,
    );
  });
}
