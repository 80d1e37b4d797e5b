import {
  dereference,
  listOperations,
  openApiDocument,
  type DocumentedOperation,
  type ParameterObject,
  type RequestBodyObject,
  type SchemaObject,
} from '@overcast/api-spec';
import type { Database } from '@overcast/db';
import { describeWithServices, type TestDatabase } from '@overcast/test-kit';
import {
  authorization,
  createToken,
  openMigratedDatabase,
  startGateway,
  type RunningGateway,
} from './support/gateway-harness';
import { startRealBroker, type RealBroker } from './support/real-broker';

// DESIGN.md: the internal RPC schemas (packages/contracts) are never stricter than the public spec. This walks the
// instance domain's operations in the spec and, one field at a time, sends every boundary value the spec accepts
// (empty strings where no minLength forbids them, the shortest and longest strings, each enum value, the integer
// bounds, both booleans, null where allowed) through the real gateway to the real broker. The broker's bus refuses
// a payload its contract rejects with "<rpc> does not match its schema": no such answer, and no 5xx, may come back.

const instanceDomainTags = new Set(['instances', 'instance-builds', 'init-scripts', 'images', 'autoscaling']);

type Json = Record<string, unknown>;

/** Values the spec accepts for one field, at its edges. */
function boundaryValues(schema: SchemaObject): unknown[] {
  if (schema.const !== undefined) return [schema.const];
  if (schema.enum !== undefined) return schema.enum;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'string'];
  const values: unknown[] = [];
  if (types.includes('null')) values.push(null);
  if (types.includes('boolean')) values.push(true, false);
  if (types.includes('integer')) values.push(...[schema.minimum, schema.maximum].filter((n) => n !== undefined));
  if (types.includes('string')) {
    const example = (schema as { example?: unknown }).example;
    if (schema.format === 'uuid') values.push('0d654ef4-75b9-49a6-9f90-f9b1ae3501fc');
    else if (schema.pattern !== undefined) values.push(...(typeof example === 'string' ? [example] : []));
    else values.push('x'.repeat(schema.minLength ?? 0), 'y'.repeat(schema.maxLength ?? 255));
  }
  return values;
}

/** Every (field path, value) the spec accepts at its edges, into nested objects. */
function fieldVariations(schemaOrRef: SchemaObject, prefix: string[] = []): { path: string[]; value: unknown }[] {
  const schema = dereference(openApiDocument, schemaOrRef);
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => {
    const resolved = dereference(openApiDocument, property);
    if (resolved.properties) return fieldVariations(resolved, [...prefix, name]);
    return boundaryValues(resolved).map((value) => ({ path: [...prefix, name], value }));
  });
}

function withField(base: Json, path: string[], value: unknown): Json {
  const [head, ...rest] = path;
  if (head === undefined) return base;
  const inner = (base[head] ?? {}) as Json;
  return { ...base, [head]: rest.length === 0 ? value : withField(inner, rest, value) };
}

interface Variation {
  label: string;
  method: string;
  target: string;
  body?: string;
  contentType?: string;
}

describeWithServices('the internal RPC contracts are never stricter than the public spec', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let broker: RealBroker;
  let gateway: RunningGateway;
  let admin: string;
  const ids: Record<string, string> = {};

  /** A request that passes the spec as it stands, per operation: each variation changes one field of it. */
  const baseBodies: Record<string, Json> = {
    'POST /instances': { provider: 'fake', image: 'debian-12' },
    'POST /instance-builds': {
      instance_builds: { site: 'org', env: 'test', instance_type: 'standard', count: 1, queue: 'docker' },
    },
    'POST /images': { provider: 'fake', image_id: 'walk-image', role: 'worker', name: 'walk' },
    'PATCH /instance-builds/{id}': { state: 'started' },
    'POST /instance-launches/{build_id}': { instance_id: 'i-abcd1234' },
    'POST /instance-terminations/{build_id}': { instance_id: 'i-abcd1234' },
    'POST /instance-heartbeats/{build_id}': { 'instance-id': 'i-abcd1234' },
    // instance_id is set to the walk's instance once it exists (beforeAll).
    'POST /autoscaling-group-builds': {
      autoscaling_group_builds: {
        instance_id: 'i-abcd1234',
        site: 'org',
        env: 'test',
        queue: 'docker',
        role: 'worker',
        role_arn: 'arn:aws:iam::123456789012:role/walk',
        topic_arn: 'arn:aws:sns:us-east-1:123456789012:walk',
      },
    },
    // Refused by the signature check before the broker (the certificate is not an SNS host's): no 5xx is the point.
    'POST /sns-messages': {
      Type: 'Notification',
      MessageId: 'walk-1',
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:walk',
      Message: '{}',
      Timestamp: '2026-12-05T00:00:00.000Z',
      SignatureVersion: '1',
      Signature: 'c2lnbmF0dXJl',
      SigningCertURL: 'https://example.com/not-sns.pem',
    },
  };

  beforeAll(async () => {
    ({ testDatabase, database } = await openMigratedDatabase());
    broker = await startRealBroker(testDatabase.url, { INSTANCE_QUOTA_PER_TENANT: '100000' });
    gateway = await startGateway({
      database,
      bus: broker.gatewayBus,
      env: { RATE_LIMIT_PER_TENANT: '1000000', RATE_LIMIT_PER_ANONYMOUS_CLIENT: '1000000' },
    });
    admin = await createToken(database, 'admin');
    const post = async (path: string, body: Json) => {
      const response = await fetch(`${gateway.url}${path}`, {
        method: 'POST',
        headers: { ...authorization(admin), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await response.json()) as Json;
    };
    ids.instance = String((await post('/instances', { provider: 'fake', image: 'debian-12' })).id);
    baseBodies['POST /autoscaling-group-builds'] = withField(
      baseBodies['POST /autoscaling-group-builds'] ?? {},
      ['autoscaling_group_builds', 'instance_id'],
      `i-${ids.instance}`,
    );
    const builds = (await post('/instance-builds', baseBodies['POST /instance-builds'] ?? {})) as {
      instance_builds: { id: string }[];
    };
    ids.build = builds.instance_builds[0]?.id ?? '';
    ids.image = String((await post('/images', { ...baseBodies['POST /images'], image_id: 'walk-base' })).id);
  });

  afterAll(async () => {
    await gateway?.stop();
    await broker?.stop();
    await database?.close();
    await testDatabase?.drop();
  });

  function targetOf(path: string): string {
    return path.replace(/\{(\w+)\}/g, (_, name: string) =>
      name === 'build_id' || path.startsWith('/instance-builds')
        ? (ids.build ?? '')
        : path.startsWith('/images')
          ? (ids.image ?? '')
          : (ids.instance ?? ''),
    );
  }

  function variationsOf({ method, path, operation, parameters }: DocumentedOperation): Variation[] {
    const name = `${method.toUpperCase()} ${path}`;
    const target = targetOf(path);
    const variations: Variation[] = [];
    for (const entry of parameters) {
      const parameter = dereference<ParameterObject>(openApiDocument, entry);
      if (parameter.in !== 'query' || !parameter.schema) continue;
      for (const value of boundaryValues(dereference(openApiDocument, parameter.schema))) {
        const query = `${encodeURIComponent(parameter.name)}=${encodeURIComponent(String(value))}`;
        variations.push({ label: `${name} ?${query}`, method, target: `${target}?${query}` });
      }
    }
    if (operation.requestBody) {
      const { content } = dereference<RequestBodyObject>(openApiDocument, operation.requestBody);
      const [contentType, media] = Object.entries(content)[0] ?? [];
      const base = baseBodies[name];
      if (!contentType || !media?.schema || !base) throw new Error(`${name}: no base body to vary`);
      const form = contentType === 'application/x-www-form-urlencoded';
      for (const { path: field, value } of fieldVariations(media.schema)) {
        const body = withField(base, field, value);
        const encoded = form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body);
        variations.push({
          label: `${name} ${field.join('.')}=${JSON.stringify(value).slice(0, 40)}`,
          method,
          target,
          body: encoded,
          contentType,
        });
      }
    }
    return variations;
  }

  const operations = listOperations(openApiDocument).filter(({ operation }) =>
    (operation.tags ?? []).some((tag) => instanceDomainTags.has(tag)),
  );

  it('walks every instance-domain operation with a query or a body', () => {
    const walked = operations.filter((operation) => variationsOf(operation).length > 0).map((o) => o.path);
    expect(walked).toEqual(
      expect.arrayContaining(['/instances', '/instance-builds', '/images', '/autoscaling-group-builds']),
    );
  });

  it.each(operations.map((operation) => [`${operation.method.toUpperCase()} ${operation.path}`, operation] as const))(
    '%s: every value the spec accepts reaches the broker',
    async (_name, operation) => {
      const problems: string[] = [];
      for (const variation of variationsOf(operation)) {
        const response = await fetch(`${gateway.url}${variation.target}`, {
          method: variation.method.toUpperCase(),
          headers: {
            ...authorization(admin),
            ...(variation.contentType ? { 'content-type': variation.contentType } : {}),
          },
          body: variation.body,
        });
        const text = await response.text();
        if (response.status >= 500 || text.includes('does not match its schema'))
          problems.push(`${variation.label} → ${response.status} ${text.slice(0, 300)}`);
      }
      expect(problems).toEqual([]);
    },
    60_000,
  );
});
