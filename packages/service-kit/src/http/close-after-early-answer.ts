import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

/** How much of a refused upload is still read once its answer is out, and for how long at most. */
export interface LingerLimits {
  maxBytes: number;
  maxMs: number;
}

/**
 * Enough for a client that reads while it writes (every HTTP client of ours: fetch, the SDK, the CLI, curl, the
 * gateway forwarding an upload) to have read the answer before the connection closes: the answer reaches it ahead of these bytes, in one round trip.
 */
export const uploadLingerLimits: LingerLimits = { maxBytes: 8 * 1024 * 1024, maxMs: 2_000 };

/** How often a lingering connection's bytes are counted against `maxBytes`. */
const countEveryMs = 10;

/**
 * For a route that reads its body as it streams (a disk image): when the answer begins before the body was read
 * whole (another tenant's image, a size over the limit, a refused credential, an upload the service stopped
 * reading), the answer says `Connection: close` and the connection is closed the way RFC 9112 §9.6 asks, lest the
 * client see a reset instead of the answer: once the answer is out the server ends its side, goes on reading and
 * discarding what the client still sends until the client closes, its body ends or `limits` are reached, and only
 * then closes. Node alone would either read the whole rest of the body (keep-alive: gigabytes nobody wants) or,
 * told to close, close with unread bytes pending, which resets the connection under the client's answer.
 */
export function closeAfterEarlyAnswer(limits: LingerLimits = uploadLingerLimits): RequestHandler {
  return (req, res, next) => {
    const writeHead = res.writeHead;
    res.writeHead = function writeHeadClosingEarly(this: ServerResponse, ...args: unknown[]) {
      closeIfBodyUnread(req, this, limits);
      return (writeHead as (...all: unknown[]) => ServerResponse).apply(this, args);
    } as typeof res.writeHead;
    next();
  };
}

/**
 * Before an answer's headers are written: when the request's body has not been read whole, the answer says
 * `Connection: close` and the connection closes lingering (closeAfterEarlyAnswer), for answers written outside
 * express too (the gateway's front door, the image inspector's upload endpoint). A handler that stops reading a body
 * unpipes it and never destroys the request: a destroyed request leaves its connection paused by Node's HTTP parser,
 * with nothing to drain it, and the close would reset it after all.
 */
export function closeIfBodyUnread(
  req: IncomingMessage,
  res: ServerResponse,
  limits: LingerLimits = uploadLingerLimits,
): void {
  if (req.complete || res.headersSent || !hasBody(req)) return;
  res.setHeader('Connection', 'close');
  lingerBeforeClosing(req, limits);
}

/** A request without a body is not `complete` while its handler runs either, and stays keep-alive. */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Node closes a `Connection: close` answer's connection through `socket.destroySoon()` once the answer is written
 * (the one call it makes for it): this socket's closes lingering instead. What still arrives goes to Node's HTTP
 * parser, which discards an answered request's body without a `data` event: it is counted on the socket.
 */
function lingerBeforeClosing(req: IncomingMessage, limits: LingerLimits): void {
  const socket = req.socket;
  socket.destroySoon = function closeLingering() {
    const readBefore = socket.bytesRead;
    const stopWatching = () => {
      clearTimeout(deadline);
      clearInterval(counter);
    };
    const close = () => {
      stopWatching();
      socket.destroy();
    };
    const deadline = setTimeout(close, limits.maxMs);
    const counter = setInterval(() => {
      if (socket.bytesRead - readBefore > limits.maxBytes) close();
    }, countEveryMs);
    socket.once('close', stopWatching);
    // The answer is flushed ahead of our FIN.
    socket.end();
    req.once('end', close);
    req.resume();
  };
}
