import type { IncomingHttpHeaders } from 'node:http';
import { FakeHttpError } from './fake-http';
import type { FakeState, FakeToken } from './fake-state';

export type Credential = { kind: 'token'; token: string } | { kind: 'build'; secret: string };

/** The four token forms of the spec, plus per-build Basic `x:<secret>`. */
export function readCredential(headers: IncomingHttpHeaders): Credential | undefined {
  const barcelona = headers['x-barcelona-token'];
  if (typeof barcelona === 'string' && barcelona !== '') return { kind: 'token', token: barcelona };
  const authorization = headers.authorization ?? '';
  const tokenForm = /^(?:token[ =]|bearer )(.+)$/i.exec(authorization);
  if (tokenForm?.[1]) return { kind: 'token', token: tokenForm[1].trim() };
  const basic = /^basic (.+)$/i.exec(authorization);
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    const user = decoded.slice(0, separator);
    const password = decoded.slice(separator + 1);
    if (user === 'token') return { kind: 'token', token: password };
    if (user === 'x') return { kind: 'build', secret: password };
  }
  return undefined;
}

export function authenticateToken(state: FakeState, credential: Credential | undefined): FakeToken {
  if (credential === undefined) throw new FakeHttpError(401, 'unauthenticated', 'authorization header required');
  const id = credential.kind === 'token' ? credential.token.split('-')[0] : undefined;
  const token = id === undefined ? undefined : state.tokens.get(id);
  if (credential.kind !== 'token' || token?.secret !== credential.token)
    throw new FakeHttpError(401, 'unauthenticated', 'invalid token');
  token.last_used_at = new Date().toISOString();
  return token;
}

/** Init scripts take a token or the build's own credentials; another build's credentials look like "not found". */
export function authenticateInitScript(state: FakeState, credential: Credential | undefined, buildId: string): void {
  if (credential?.kind !== 'build') {
    authenticateToken(state, credential);
    return;
  }
  if (state.builds.get(buildId)?.initScriptSecret === credential.secret) return;
  const ownsAnotherBuild = [...state.builds.values()].some((build) => build.initScriptSecret === credential.secret);
  if (ownsAnotherBuild) throw new FakeHttpError(404, 'not_found', 'instance build not found');
  throw new FakeHttpError(401, 'unauthenticated', 'invalid credentials');
}
