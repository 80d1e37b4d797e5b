import type { RequestHandler } from 'express';
import type { ErrorResponseBody } from '@overcast/service-kit';

type LegacyShape = 'cloud-brain' | 'pudding' | 'drf';

// Clients of the originals parse these members (DESIGN.md "Errors"); the spec documents which routes keep them.
function legacyShapeOf(path: string): LegacyShape | null {
  if (/^\/api\/v1\//.test(path)) return 'drf';
  if (/^\/instances(\/|$)/.test(path)) return 'cloud-brain';
  if (
    /^\/(instance-builds|init-scripts|instance-launches|instance-terminations|instance-heartbeats|autoscaling-group-builds|sns-messages)(\/|$)/.test(
      path,
    )
  )
    return 'pudding';
  return null;
}

function isErrorEnvelope(body: unknown): body is ErrorResponseBody {
  return (
    typeof body === 'object' &&
    body !== null &&
    'error' in body &&
    typeof (body as ErrorResponseBody).error?.code === 'string'
  );
}

/** One message per detail (cloud-brain's prefixed with the detail's path), or the error's message alone. */
function messagesOf(body: ErrorResponseBody, withPath: boolean): string[] {
  const { details, message } = body.error;
  if (details.length === 0) return [message];
  return details.map((detail) => (withPath && detail.path ? `${detail.path}: ${detail.message}` : detail.message));
}

// The validator's wording where DRF's differs (its clients show these messages as they are).
const drfWording: Record<string, string> = { 'is required': 'This field is required.' };

/**
 * Django REST framework's members: invalid input as `{"<field>": ["message", …]}` (the field is the detail's path
 * without its `body.`/`query.`/`path.` location; no path is `non_field_errors`), anything else as `{"detail"}`.
 */
function drfMembersOf(body: ErrorResponseBody): Record<string, unknown> {
  const { code, details, message } = body.error;
  if (code !== 'bad_request' || details.length === 0) return { detail: message };
  // A Map, then own properties: a field a caller named `__proto__` stays a field.
  const fields = new Map<string, string[]>();
  for (const detail of details) {
    const field = detail.path?.replace(/^(body|query|path|headers)\./, '').split(/[.[]/)[0] || 'non_field_errors';
    fields.set(field, [...(fields.get(field) ?? []), drfWording[detail.message] ?? detail.message]);
  }
  return Object.fromEntries(fields);
}

/** `body` as a legacy route answers it: the original system's error members next to the envelope, on its routes only. */
export function withLegacyErrors(path: string, body: ErrorResponseBody): ErrorResponseBody & { errors?: unknown[] } {
  const shape = legacyShapeOf(path);
  if (!shape) return body;
  if (shape === 'drf') return { ...drfMembersOf(body), ...body };
  return {
    ...body,
    errors: shape === 'pudding' ? messagesOf(body, false).map((details) => ({ details })) : messagesOf(body, true),
  };
}

/**
 * Adds the original system's error members next to the standard envelope on legacy routes:
 * cloud-brain `errors: ["path: message"]`, pudding `errors: [{"details": "message"}]`, cloudigrade's DRF
 * `{"field": ["message"]}` or `{"detail": "message"}`.
 * It wraps `res.json`, so every error (auth, validation, RPC, crash) gets it from the one error handler.
 */
export function legacyErrorShapes(): RequestHandler {
  return (req, res, next) => {
    if (!legacyShapeOf(req.path)) return next();
    const json = res.json.bind(res);
    res.json = (body: unknown) => json(isErrorEnvelope(body) ? withLegacyErrors(req.path, body) : body);
    next();
  };
}
