import type { ErrorCode, ErrorDetail } from '../types';
import type { FakeState, FakeToken } from './fake-state';

export interface FakeRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or the fields of a form-encoded body, or undefined. */
  body: unknown;
  caller: FakeToken | undefined;
  state: FakeState;
}

export interface FakeReply {
  status: number;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Thrown by handlers; the server turns it into the route's error shape. */
export class FakeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

export type FakeHandler = (request: FakeRequest) => FakeReply;

export interface FakeRoute {
  method: string;
  /** Express-like pattern, e.g. `/instances/:id`. */
  pattern: string;
  /** Who may call it: nobody needs a token (`public`), any token, or an admin token. */
  access: 'public' | 'token' | 'admin';
  handle: FakeHandler;
}

export function requireAdmin(request: FakeRequest): void {
  if (request.caller?.role !== 'admin')
    throw new FakeHttpError(403, 'forbidden', 'this operation needs the admin role');
}

export function matchRoute(pattern: string, path: string): Record<string, string> | undefined {
  const patternParts = pattern.split('/');
  const pathParts = path.split('/');
  if (patternParts.length !== pathParts.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of patternParts.entries()) {
    const actual = pathParts[index] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(actual);
    else if (part !== actual) return undefined;
  }
  return params;
}

/** The standard envelope, plus the legacy list cloud-brain and pudding clients parse. */
export function errorBody(path: string, error: FakeHttpError, requestId: string): unknown {
  const envelope = {
    error: { code: error.code, message: error.message, details: error.details, request_id: requestId },
  };
  const messages = error.details.length > 0 ? error.details.map((detail) => detail.message) : [error.message];
  if (path.startsWith('/instances')) {
    const located = error.details.map((detail) => (detail.path ? `${detail.path}: ${detail.message}` : detail.message));
    return { ...envelope, errors: located.length > 0 ? located : [error.message] };
  }
  if (path.startsWith('/instance-builds') || path.startsWith('/init-scripts')) {
    return { ...envelope, errors: messages.map((message) => ({ details: message })) };
  }
  return envelope;
}
