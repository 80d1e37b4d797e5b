import type { IncomingMessage } from 'node:http';

/** What a request presents, before anything is verified. */
export type PresentedCredentials =
  | { kind: 'token'; token: string }
  /** Basic with any user but `token`: pudding's per-build `x:<secret>` (its init script and lifecycle callbacks accept it). */
  | { kind: 'build-secret'; secret: string }
  | { kind: 'unusable' }
  | { kind: 'none' };

function decodeBasic(encoded: string): { user: string; password: string } | null {
  const decoded = Buffer.from(encoded.trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * The four token forms (DESIGN.md): `Authorization: token <t>` (cloud-brain; pudding's `token=<t>` too),
 * `Authorization: Bearer <t>`, Basic `token:<t>` (so ~/.netrc works) and `X-Barcelona-Token: <t>`.
 * Authorization wins when both headers are present.
 */
export function credentialsOf(req: IncomingMessage): PresentedCredentials {
  const authorization = req.headers.authorization?.trim();
  if (authorization) {
    const tokenMatch = /^(?:token[ =]|bearer )\s*(\S+)$/i.exec(authorization);
    if (tokenMatch?.[1]) return { kind: 'token', token: tokenMatch[1] };
    const basicMatch = /^basic[ =](.+)$/i.exec(authorization);
    const basic = basicMatch?.[1] ? decodeBasic(basicMatch[1]) : null;
    if (basic && basic.password.length > 0) {
      return basic.user === 'token'
        ? { kind: 'token', token: basic.password.trim() }
        : { kind: 'build-secret', secret: basic.password.trim() };
    }
    return { kind: 'unusable' };
  }
  // Node joins a repeated custom header into one string; only set-cookie is ever an array.
  const presented = req.headers['x-barcelona-token'];
  const barcelona = typeof presented === 'string' ? presented.trim() : undefined;
  if (barcelona) return { kind: 'token', token: barcelona };
  return { kind: 'none' };
}
