import type { Database } from '@overcast/db';
import { describeWithPostgres, waitFor, type TestDatabase } from '@overcast/test-kit';
import { specCheckedFetch } from './support/spec-conformance';
import {
  authorization,
  createToken,
  openMigratedDatabase,
  startGateway,
  type RunningGateway,
} from './support/gateway-harness';

interface ErrorBody {
  error: { code: string; message: string; details: { path?: string; message: string }[]; request_id: string };
  errors?: unknown[];
}

describeWithPostgres('the HTTP edge', () => {
  const { fetch, problems } = specCheckedFetch();
  let testDatabase: TestDatabase;
  let database: Database;
  let gateway: RunningGateway;
  let adminToken: string;
  const shutdownRequests = jest.fn();

  beforeAll(async () => {
    ({ testDatabase, database } = await openMigratedDatabase());
    gateway = await startGateway({ database, onShutdownRequested: shutdownRequests });
    adminToken = await createToken(database, 'admin');
  });

  afterAll(async () => {
    await gateway.stop();
    await database.close();
    await testDatabase.drop();
  });

  const postJson = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { ...authorization(adminToken), 'content-type': 'application/json', ...headers },
      body,
    });

  it('greets like pudding on GET / without credentials', async () => {
    const response = await fetch(`${gateway.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe('ohai\n');
  });

  it('answers 413 to a 10 MB body before parsing it', async () => {
    const response = await postJson('/tokens', JSON.stringify({ description: 'x'.repeat(10 * 1024 * 1024) }));
    expect(response.status).toBe(413);
    expect(((await response.json()) as ErrorBody).error.code).toBe('payload_too_large');
  });

  it('answers 400 naming the problem of a malformed JSON body', async () => {
    const response = await postJson('/tokens', '{"description": "oops",');
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toMatch(/^request body is not valid: .*JSON/);
  });

  it('validates the body against the spec, naming every bad field', async () => {
    const response = await postJson('/tokens', JSON.stringify({ description: '', role: 'root', extra: true }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.details).toEqual(
      expect.arrayContaining([
        { path: 'body.description', message: 'must NOT have fewer than 1 characters' },
        { path: 'body.role', message: 'must be one of "admin", "developer"' },
        { path: 'body.extra', message: 'is not allowed' },
      ]),
    );
  });

  it('validates path and query parameters too, after coercing them to their types', async () => {
    const badId = await fetch(`${gateway.url}/tokens/abc`, { method: 'DELETE', headers: authorization(adminToken) });
    expect(badId.status).toBe(400);
    expect(((await badId.json()) as ErrorBody).error.details).toEqual([
      { path: 'path.id', message: 'must match pattern "^[0-9]+$"' },
    ]);

    const badLimit = await fetch(`${gateway.url}/instances?limit=0&state=dancing`, {
      headers: authorization(adminToken),
    });
    expect(badLimit.status).toBe(400);
    const body = (await badLimit.json()) as ErrorBody;
    expect(body.error.details.map((detail) => detail.path).sort()).toEqual(['query.limit', 'query.state']);
    // cloud-brain's clients read `errors` as a list of strings.
    expect(body.errors).toEqual(expect.arrayContaining(['query.limit: must be >= 1']));
  });

  it('uses pudding’s error list and wording on instance builds', async () => {
    const response = await postJson(
      '/instance-builds',
      JSON.stringify({
        instance_builds: {
          site: '',
          env: 'test',
          instance_type: 'standard',
          count: 0,
          queue: 'docker',
          role: 'worker',
        },
      }),
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.details).toEqual([
      { path: 'body.instance_builds.site', message: 'empty "site" param' },
      { path: 'body.instance_builds.count', message: 'count must be more than 0' },
    ]);
    expect(body.errors).toEqual([{ details: 'empty "site" param' }, { details: 'count must be more than 0' }]);
  });

  it('reads a body as the operation’s JSON whatever its label, and names the body when it is not JSON', async () => {
    const labelledText = await postJson('/tokens', JSON.stringify({ description: 'x' }), {
      'content-type': 'text/plain',
    });
    expect(labelledText.status).toBe(201);
    const notJson = await postJson('/tokens', 'description=x', { 'content-type': 'text/plain' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as ErrorBody).error.details.map((detail) => detail.path)).toEqual(['body']);
  });

  it('answers 404 for unknown paths and 405 with Allow for unknown methods', async () => {
    const unknown = await fetch(`${gateway.url}/nope`, { headers: authorization(adminToken) });
    expect(unknown.status).toBe(404);
    const wrongMethod = await fetch(`${gateway.url}/tokens`, { method: 'PUT', headers: authorization(adminToken) });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST, GET');
    // The probes are service-kit's, answered the same way.
    const wrongProbeMethod = await fetch(`${gateway.url}/readyz`, { method: 'POST' });
    expect(wrongProbeMethod.status).toBe(405);
    expect(wrongProbeMethod.headers.get('allow')).toBe('GET');
  });

  it('echoes a sane X-Request-ID and makes one otherwise', async () => {
    const echoed = await fetch(`${gateway.url}/healthz`, { headers: { 'x-request-id': 'trace-123' } });
    expect(echoed.headers.get('x-request-id')).toBe('trace-123');
    const made = await fetch(`${gateway.url}/healthz`, { headers: { 'x-request-id': 'bad id\twith tabs' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers GET /debug/vars to admins with the process's figures and nothing of its environment", async () => {
    const vars = await fetch(`${gateway.url}/debug/vars`, { headers: authorization(adminToken) });
    expect(vars.status).toBe(200);
    const body = (await vars.json()) as Record<string, unknown>;
    expect(body).toEqual({
      memstats: expect.objectContaining({ rss: expect.any(Number), heapUsed: expect.any(Number) }),
      uptime_seconds: expect.any(Number),
      runtime: `node ${process.version}`,
    });
    expect((await fetch(`${gateway.url}/debug/vars`)).status).toBe(401);
  });

  it('answers 500 to a crashing handler and keeps serving', async () => {
    const kaboom = await fetch(`${gateway.url}/kaboom`, { method: 'POST', headers: authorization(adminToken) });
    expect(kaboom.status).toBe(500);
    expect(await kaboom.json()).toMatchObject({ error: { code: 'internal', message: 'internal error', details: [] } });
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
  });

  it('serves the spec as JSON and as a reference page', async () => {
    const spec = (await (await fetch(`${gateway.url}/openapi.json`)).json()) as {
      openapi: string;
      servers: { url: string }[];
      paths: Record<string, unknown>;
    };
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toContain('/instances');
    expect(spec.servers.map((server) => server.url)).toEqual([gateway.url]);
    const docs = await fetch(`${gateway.url}/docs`);
    expect(docs.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await docs.text()).toContain('<script src="/docs/api-reference.js"></script>');
    const script = await fetch(`${gateway.url}/docs/api-reference.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(await script.text()).toContain('createApiReference');
  });

  it('exposes Prometheus metrics labelled by route pattern', async () => {
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(
      /http_request_duration_seconds_count\{[^}]*method="DELETE",route="\/tokens\/:id",status_code="400"\} 1/,
    );
    expect(metrics).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/kaboom",status_code="500"\} 1/);
  });

  it('answers DELETE / with 204 and only then asks for the shutdown', async () => {
    const response = await fetch(`${gateway.url}/`, { method: 'DELETE', headers: authorization(adminToken) });
    expect(response.status).toBe(204);
    await waitFor('the shutdown request', () => shutdownRequests.mock.calls.length === 1);
  });

  it('answered every request as the OpenAPI spec documents', () => {
    // The 404 and 405 probes above are, on purpose, requests the spec has no operation for.
    const probes = [
      'GET /nope → 404: no operation in the spec',
      'PUT /tokens → 405: no operation in the spec',
      'POST /readyz → 405: no operation in the spec',
    ];
    expect(problems.filter((problem) => !probes.includes(problem))).toEqual([]);
  });
});
