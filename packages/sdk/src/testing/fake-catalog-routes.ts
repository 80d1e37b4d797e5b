import { randomUUID } from 'node:crypto';
import type { Image } from '../types';
import type { FakeRequest, FakeRoute } from './fake-http';
import { FakeHttpError, requireAdmin } from './fake-http';
import { issueToken, now } from './fake-state';

function invalid(path: string, message: string): FakeHttpError {
  return new FakeHttpError(400, 'bad_request', 'The request is invalid.', [{ path, message }]);
}

function activate(request: FakeRequest, image: Image): void {
  for (const other of request.state.images.values()) {
    if (other.provider === image.provider && other.role === image.role) other.active = false;
  }
  image.active = true;
}

function registerImage(request: FakeRequest) {
  requireAdmin(request);
  const body = (request.body ?? {}) as Record<string, unknown>;
  const missing = ['provider', 'image_id', 'role', 'name'].filter(
    (name) => typeof body[name] !== 'string' || body[name] === '',
  );
  if (missing.length > 0) {
    throw new FakeHttpError(
      400,
      'bad_request',
      'The request is invalid.',
      missing.map((name) => ({ path: `body.${name}`, message: 'is required' })),
    );
  }
  const duplicate = [...request.state.images.values()].some(
    (image) => image.provider === body.provider && image.image_id === body.image_id,
  );
  if (duplicate)
    throw new FakeHttpError(
      409,
      'conflict',
      `image ${String(body.image_id)} is already registered for ${String(body.provider)}`,
    );
  const image: Image = {
    id: randomUUID(),
    image_id: body.image_id as string,
    provider: body.provider as string,
    role: body.role as string,
    name: body.name as string,
    active: false,
    state: 'available',
    created_at: now(),
  };
  request.state.images.set(image.id, image);
  if (body.active === true) activate(request, image);
  return { status: 201, json: image };
}

function listImages(request: FakeRequest) {
  const active = request.query.get('active');
  if (active !== null && active !== 'true' && active !== 'false')
    throw invalid('query.active', 'must be true or false');
  const images = [...request.state.images.values()]
    .reverse()
    .filter((image) => active === null || String(image.active) === active)
    .filter((image) => !request.query.has('role') || image.role === request.query.get('role'))
    .filter((image) => !request.query.has('provider') || image.provider === request.query.get('provider'));
  return { status: 200, json: { images } };
}

function createToken(request: FakeRequest) {
  requireAdmin(request);
  const body = (request.body ?? {}) as Record<string, unknown>;
  if (typeof body.description !== 'string' || body.description === '') throw invalid('body.description', 'is required');
  if (body.role !== undefined && body.role !== 'admin' && body.role !== 'developer')
    throw invalid('body.role', 'must be admin or developer');
  const {
    secret,
    last_used_at: _lastUsed,
    ...token
  } = issueToken(request.state, body.description, body.role ?? 'developer');
  return { status: 201, json: { ...token, token: secret } };
}

function revokeToken(request: FakeRequest) {
  const id = request.params.id ?? '';
  if (request.caller?.role !== 'admin' && request.caller?.id !== id) requireAdmin(request);
  if (!request.state.tokens.delete(id)) throw new FakeHttpError(404, 'not_found', 'token not found');
  return { status: 204 };
}

function listTokens(request: FakeRequest) {
  const visible = [...request.state.tokens.values()].filter(
    (token) => request.caller?.role === 'admin' || token.id === request.caller?.id,
  );
  return { status: 200, json: { tokens: visible.reverse().map(({ secret: _secret, ...token }) => token) } };
}

function login(request: FakeRequest) {
  const githubToken = request.headers['x-github-token'];
  const user = typeof githubToken === 'string' ? request.state.githubUsers.get(githubToken) : undefined;
  if (user === undefined) throw new FakeHttpError(401, 'unauthenticated', 'You are not allowed to login');
  return {
    status: 200,
    json: { login: user.login, token: issueToken(request.state, `github login ${user.login}`, user.role).secret },
  };
}

function status(request: FakeRequest) {
  const degraded = request.state.services.some((service) => service.status === 'down');
  return { status: 200, json: { status: degraded ? 'degraded' : 'ok', services: request.state.services } };
}

export const catalogRoutes: FakeRoute[] = [
  { method: 'GET', pattern: '/images', access: 'token', handle: listImages },
  { method: 'POST', pattern: '/images', access: 'admin', handle: registerImage },
  {
    method: 'POST',
    pattern: '/images/:id/activate',
    access: 'admin',
    handle: (request) => {
      const image = request.state.images.get(request.params.id ?? '');
      if (image === undefined) throw new FakeHttpError(404, 'not_found', 'image not found');
      activate(request, image);
      return { status: 200, json: image };
    },
  },
  { method: 'POST', pattern: '/tokens', access: 'admin', handle: createToken },
  { method: 'GET', pattern: '/tokens', access: 'token', handle: listTokens },
  { method: 'DELETE', pattern: '/tokens/:id', access: 'token', handle: revokeToken },
  { method: 'POST', pattern: '/login', access: 'public', handle: login },
  { method: 'GET', pattern: '/status', access: 'token', handle: status },
  {
    // Only what clients read from it (the API version); the real document is served by the gateway.
    method: 'GET',
    pattern: '/openapi.json',
    access: 'public',
    handle: () => ({
      status: 200,
      json: { openapi: '3.1.0', info: { title: 'Overcast API', version: '0.1.0' }, paths: {} },
    }),
  },
  {
    method: 'GET',
    pattern: '/',
    access: 'public',
    handle: () => ({ status: 200, text: 'ohai\n', contentType: 'text/plain; charset=utf-8' }),
  },
];
