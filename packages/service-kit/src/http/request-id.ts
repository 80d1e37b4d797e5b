import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { correlation } from '../correlation';

export const requestIdHeader = 'X-Request-ID';

// Accepted ids are short and printable with no spaces, so a caller cannot inject log lines or headers.
const saneRequestId = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * Adopts the caller's `X-Request-ID` when it is sane (so a trace crosses proxies), else makes one; echoes
 * it in the response and runs the rest of the request inside the correlation context with it as the
 * correlation id, so every log line and every message sent on behalf of this request carries it.
 */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const id = requestIdFor(req.get(requestIdHeader));
    res.locals.requestId = id;
    res.setHeader(requestIdHeader, id);
    correlation.runSync({ correlationId: id, causationId: null }, () => next());
  };
}

/** The caller's `X-Request-ID` when it is sane, else a fresh one. */
export function requestIdFor(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && saneRequestId.test(incoming) ? incoming : randomUUID();
}

/** The id `requestId()` assigned; falls back to the correlation context, then to a fresh id. */
export function requestIdOf(_req: Request, res: Response): string {
  const assigned: unknown = res.locals.requestId;
  if (typeof assigned === 'string') return assigned;
  return correlation.current()?.correlationId ?? randomUUID();
}
