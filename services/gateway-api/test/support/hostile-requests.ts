import {
  dereference,
  type DocumentedOperation,
  type OpenApiDocument,
  type ParameterObject,
  type RequestBodyObject,
} from '@overcast/api-spec';
import fc from 'fast-check';
import type { RawRequest } from './raw-http';
import { hostileString, valuesOf, wrongValue, type ValueHints } from './schema-values';

export interface RequestWorld {
  document: OpenApiDocument;
  /** Ids that exist, by path parameter name (`id`, `build_id`) and template: most generated ids should hit something. */
  knownIds(template: string, parameter: string): string[];
  hints: ValueHints;
  /** The credential headers of most requests (an admin token). */
  credentials: [string, string][];
  /** Path values never to send (the admin token's id: a generated DELETE /tokens/{id} must not revoke it). */
  protectedIds: string[];
}

/** Percent-encodings no decoder accepts: truncated, not hex, overlong, a UTF-8-encoded surrogate. */
const malformedEncoding = fc.constantFrom('%', '%zz', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%FF', 'a%2', '%%41');

/** Percent-encodes `value` as UTF-8, a lone surrogate as the bytes UTF-8 forbids (what a broken client would send). */
export function encodeComponent(value: unknown): string {
  return String(value).replace(/[\s\S]/gu, (char) => {
    const unit = char.charCodeAt(0);
    if (char.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    }
    return encodeURIComponent(char);
  });
}

const hostileCredentials = fc.constantFrom<[string, string][]>(
  [],
  [['Authorization', 'token garbage']],
  [['Authorization', 'Bearer ']],
  [['Authorization', 'Basic %%%']],
  [['Authorization', 'token 99999999999999999999999-0123456789abcdef0123456789abcdef']],
  [['Authorization', `Basic ${Buffer.from(`token:${'z'.repeat(300)}`).toString('base64')}`]],
  [['X-Barcelona-Token', '0-']],
);

/** A placeholder a mutation puts in a body, replaced in the JSON text by something JSON.stringify cannot make. */
const rawPlaceholder = (index: number) => `\u0001raw-${index}\u0001`;
const rawValues = [
  '['.repeat(100_000) + ']'.repeat(100_000),
  '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000),
  `"${'x'.repeat(1_100_000)}"`,
  '"\\ud800"',
  '"\\u0000"',
];

type Mutation = { kind: 'drop' | 'replace' | 'raw' | 'extra'; slot: number; value: unknown; raw: number; key: string };

/** Every (object, key) of a generated body, so a mutation can reach nested fields (`instance_builds.count`). */
function slotsOf(value: unknown): [Record<string, unknown>, string][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const object = value as Record<string, unknown>;
  return Object.keys(object).flatMap((key) => [
    [object, key] as [Record<string, unknown>, string],
    ...slotsOf(object[key]),
  ]);
}

function mutate(valid: unknown, mutation: Mutation): string {
  const body = structuredClone(valid);
  const slots = slotsOf(body);
  const [parent, key] = slots[mutation.slot % Math.max(slots.length, 1)] ?? [
    body as Record<string, unknown>,
    mutation.key,
  ];
  if (typeof parent === 'object' && parent !== null) {
    if (mutation.kind === 'drop') delete parent[key];
    if (mutation.kind === 'replace') parent[key] = mutation.value;
    if (mutation.kind === 'raw') parent[key] = rawPlaceholder(mutation.raw);
    if (mutation.kind === 'extra') parent[mutation.key] = mutation.value;
  }
  return rawValues.reduce(
    (text, raw, index) => text.replace(JSON.stringify(rawPlaceholder(index)), raw),
    JSON.stringify(body) ?? '',
  );
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('drop', 'replace', 'raw', 'extra'),
  slot: fc.nat(),
  value: wrongValue,
  raw: fc.nat({ max: rawValues.length - 1 }),
  key: fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('__proto__', 'constructor', 'id', 'tenant_id', 'tenantId'),
  ),
});

/** Whole bodies that are not the object an operation takes. */
const garbageBody = fc.constantFrom(
  '42',
  '"x"',
  'null',
  'true',
  '[]',
  '[1,2]',
  '{',
  '{"a":1,}',
  '',
  ' ',
  '\u0000',
  'NaN',
  '{"a":"\\ud800"}',
  ...rawValues,
);

function bodiesFor(
  document: OpenApiDocument,
  requestBody: RequestBodyObject,
  hints: ValueHints,
): fc.Arbitrary<{ contentType?: string; body: string }> {
  const [contentType = 'application/json', media] = Object.entries(requestBody.content)[0] ?? [];
  const valid = media?.schema ? valuesOf(document, media.schema, hints) : fc.constant({});
  if (contentType === 'application/x-www-form-urlencoded') {
    const form = (value: unknown) =>
      new URLSearchParams(
        Object.entries(value as Record<string, unknown>).map(([name, field]): [string, string] => [
          name,
          String(field),
        ]),
      ).toString();
    return fc.oneof(
      { weight: 5, arbitrary: valid.map((value) => ({ contentType, body: form(value) })) },
      {
        weight: 2,
        arbitrary: fc
          .dictionary(fc.constantFrom('state', 'instance-id', 'slack-channel', 'x'), hostileString)
          .map((value) => ({ contentType, body: form(value) })),
      },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom(
            'state=%zz&instance-id=%E0%A4%A',
            'state=finished&instance-id=a%00b',
            '&&&=',
            'a[b]=c',
            'state=finished&state=started',
          )
          .map((body) => ({ contentType, body })),
      },
      { weight: 1, arbitrary: garbageBody.map((body) => ({ contentType: 'application/json', body })) },
    );
  }
  const contentTypes = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(contentType, 'application/json; charset=utf-8') },
    {
      weight: 1,
      arbitrary: fc.constantFrom<string | undefined>(
        'application/merge-patch+json',
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/json; charset=klingon',
        undefined,
      ),
    },
  );
  const json = (body: string) => contentTypes.map((type) => ({ contentType: type, body }));
  return fc.oneof(
    { weight: 4, arbitrary: valid.chain((value) => json(JSON.stringify(value))) },
    { weight: 4, arbitrary: fc.tuple(valid, mutation).chain(([value, change]) => json(mutate(value, change))) },
    { weight: 2, arbitrary: garbageBody.map((body) => ({ contentType, body })) },
  );
}

function parameterValue(
  document: OpenApiDocument,
  parameter: ParameterObject,
  hints: ValueHints,
): fc.Arbitrary<unknown> {
  const valid = hints[parameter.name] ?? (parameter.schema ? valuesOf(document, parameter.schema, hints) : fc.string());
  // Mostly valid: an operation with eight parameters must still often be called with all of them right.
  return fc.oneof(
    { weight: 8, arbitrary: valid },
    { weight: 1, arbitrary: hostileString },
    { weight: 1, arbitrary: wrongValue.map((value) => JSON.stringify(value)) },
  );
}

/** Valid and invalid requests for one operation: its path ids, query parameters, headers, body, and credentials. */
export function requestsFor(documented: DocumentedOperation, world: RequestWorld): fc.Arbitrary<RawRequest> {
  const { document, hints } = world;
  const parameters = documented.parameters.map((parameter) => dereference(document, parameter));
  const inPath = parameters.filter((parameter) => parameter.in === 'path');
  const inQuery = parameters.filter((parameter) => parameter.in === 'query');
  const inHeader = parameters.filter((parameter) => parameter.in === 'header');

  const pathValues = fc.tuple(
    ...inPath.map((parameter) => {
      const known = world.knownIds(documented.path, parameter.name);
      return fc.oneof(
        { weight: known.length > 0 ? 4 : 0, arbitrary: fc.constantFrom('', ...known).map(encodeComponent) },
        {
          weight: 3,
          arbitrary: parameterValue(document, parameter, hints)
            .filter((value) => !world.protectedIds.includes(String(value)))
            .map(encodeComponent),
        },
        { weight: 1, arbitrary: malformedEncoding },
      );
    }),
  );
  const query = fc
    .tuple(
      ...inQuery.map((parameter) =>
        fc.option(
          parameterValue(document, parameter, hints).map((value) => `${parameter.name}=${encodeComponent(value)}`),
          { nil: undefined },
        ),
      ),
      fc.option(
        fc.constantFrom(
          'env=%zz',
          'unknown=x',
          'limit=1&limit=2',
          '&&',
          'cursor=%E0%A4%A',
          'state[]=running',
          `pad=${'q'.repeat(20_000)}`,
        ),
        { freq: 4, nil: undefined },
      ),
    )
    .map((pairs) => pairs.filter((pair) => pair !== undefined).join('&'));
  const headers = fc.tuple(
    ...inHeader.map((parameter) =>
      fc.option(
        parameterValue(document, parameter, hints).map((value): [string, string] => [
          parameter.name,
          String(value).replace(/[\r\n]/g, ''),
        ]),
        { nil: undefined },
      ),
    ),
  );
  const requestBody = documented.operation.requestBody
    ? dereference(document, documented.operation.requestBody)
    : undefined;
  const body = requestBody
    ? bodiesFor(document, requestBody, hints)
    : fc
        .option(
          garbageBody.map((text) => ({ contentType: 'application/json', body: text })),
          { freq: 9, nil: undefined },
        )
        .map((value) => value ?? { body: undefined });
  const credentials = fc.oneof(
    { weight: 19, arbitrary: fc.constant(world.credentials) },
    { weight: 1, arbitrary: hostileCredentials },
  );

  return fc
    .record({ pathValues, query, headers, body, credentials })
    .map(({ pathValues: values, query: search, headers: declared, body: content, credentials: sent }) => {
      let index = 0;
      const path = documented.path.replace(/\{[A-Za-z0-9_]+\}/g, () => values[index++] ?? '');
      const requestHeaders: [string, string][] = [...sent, ...declared.filter((header) => header !== undefined)];
      if (content.body !== undefined && 'contentType' in content && content.contentType !== undefined)
        requestHeaders.push(['Content-Type', content.contentType]);
      return {
        method: documented.method.toUpperCase(),
        target: search ? `${path}?${search}` : path,
        headers: requestHeaders,
        body: content.body,
      };
    });
}
