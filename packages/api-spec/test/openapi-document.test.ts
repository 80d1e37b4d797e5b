import { errorCodes } from '@overcast/contracts';
import type { ResponseObject, SchemaObject } from '../src';
import { listOperations, openApiDocument, openApiYamlPath, resolveReference } from '../src';
import { dereference, isReference } from '../src/walk-document';

const operations = listOperations(openApiDocument);

function collectReferences(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) collectReferences(item, found);
  else if (typeof value === 'object' && value !== null) {
    if (isReference(value)) found.push(value.$ref);
    for (const child of Object.values(value)) collectReferences(child, found);
  }
  return found;
}

/** Error responses of every operation, dereferenced, with where they are. */
function errorResponses() {
  return operations.flatMap(({ method, path, operation }) =>
    Object.entries(operation.responses ?? {})
      .filter(([status]) => status === 'default' || /^[45]/.test(status))
      .map(([status, response]) => ({
        where: `${method.toUpperCase()} ${path} ${status}`,
        path,
        status,
        reference: isReference(response) ? response.$ref : undefined,
        response: dereference<ResponseObject>(openApiDocument, response),
      })),
  );
}

function envelopeSchemaOf(response: ResponseObject): string | undefined {
  const schema = response.content?.['application/json']?.schema;
  return schema && isReference(schema) ? schema.$ref.split('/').at(-1) : undefined;
}

describe('openapi.yaml', () => {
  it('is an OpenAPI 3.1 document read from the package', () => {
    expect(openApiDocument.openapi).toBe('3.1.0');
    expect(openApiYamlPath).toMatch(/api-spec[/\\]openapi\.yaml$/);
  });

  it('resolves every $ref it contains', () => {
    const references = collectReferences(openApiDocument);
    expect(references.length).toBeGreaterThan(100);
    for (const ref of references) expect(() => resolveReference(openApiDocument, ref)).not.toThrow();
  });

  it('gives every operation a unique verb-first camelCase operationId, a known tag, a summary and responses', () => {
    const knownTags = new Set((openApiDocument.tags ?? []).map((tag) => tag.name));
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { operation } of operations) {
      expect(operation.operationId).toMatch(
        /^(get|list|create|delete|update|revoke|register|activate|login|shutdown|trigger|validate|notify|inspect)[A-Za-z]*$/,
      );
      expect(knownTags.has(operation.tags?.[0] ?? '')).toBe(true);
      expect(operation.summary).toEqual(expect.any(String));
      expect(Object.keys(operation.responses ?? {}).length).toBeGreaterThan(0);
    }
  });

  it('declares every path template variable as a required path parameter', () => {
    for (const { path, parameters } of operations) {
      const declared = parameters
        .map((parameter) => dereference(openApiDocument, parameter))
        .filter((parameter) => parameter.in === 'path' && parameter.required === true)
        .map((parameter) => parameter.name);
      const variables = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      expect(declared.sort()).toEqual(variables.sort());
    }
  });

  it('keeps the error code enum identical to the closed ErrorCode set of @overcast/contracts', () => {
    const schema = openApiDocument.components?.schemas?.ErrorCode as SchemaObject;
    expect(schema.enum).toEqual([...errorCodes]);
  });

  it('answers errors with the standard envelope, plus the legacy members on cloud-brain, pudding and cloudigrade routes', () => {
    const puddingRoutes = [
      '/instance-builds',
      '/init-scripts',
      '/instance-launches',
      '/instance-terminations',
      '/instance-heartbeats',
      '/autoscaling-group-builds',
      '/sns-messages',
    ];
    const expectedEnvelope = (path: string, where: string) =>
      path.startsWith('/api/v1/')
        ? where.endsWith(' 400')
          ? 'DrfFieldErrorEnvelope'
          : 'DrfDetailErrorEnvelope'
        : path.startsWith('/instances')
          ? 'LegacyInstanceErrorEnvelope'
          : puddingRoutes.some((prefix) => path.startsWith(prefix))
            ? 'PuddingErrorEnvelope'
            : 'ErrorEnvelope';
    const checked = errorResponses().filter(({ response }) => response['x-overcast-resource-body'] !== true);
    expect(checked.length).toBeGreaterThan(40);
    for (const { where, path, response } of checked) {
      expect({ where, envelope: envelopeSchemaOf(response) }).toEqual({
        where,
        envelope: expectedEnvelope(path, where),
      });
    }
  });

  it('sends WWW-Authenticate with every 401', () => {
    const unauthorized = errorResponses().filter(({ status }) => status === '401');
    expect(unauthorized.length).toBeGreaterThan(10);
    for (const { response } of unauthorized) expect(Object.keys(response.headers ?? {})).toContain('WWW-Authenticate');
  });

  it('lets an operation skip authentication only when it says so, and admin-only ones declare 403', () => {
    const open = operations.filter(({ operation }) => operation.security?.length === 0).map(({ path }) => path);
    expect(open.sort()).toEqual([
      '/',
      '/docs',
      '/docs/api-reference.js',
      '/healthz',
      '/login',
      '/metrics',
      '/openapi.json',
      '/readyz',
      // SNS sends no credentials: the message's own signature is checked instead.
      '/sns-messages',
    ]);
    for (const { operation } of operations.filter(({ operation }) => operation['x-overcast-role'] === 'admin')) {
      expect(Object.keys(operation.responses ?? {})).toContain('403');
    }
  });

  it("accepts per-build credentials on GET /init-scripts/{build_id} and pudding's lifecycle callbacks only", () => {
    const withBuildCredentials = operations.filter(({ operation }) =>
      (operation.security ?? []).some((requirement) => 'initScriptAuth' in requirement),
    );
    expect(withBuildCredentials.map(({ method, path }) => `${method} ${path}`)).toEqual([
      'get /init-scripts/{build_id}',
      'post /instance-launches/{build_id}',
      'post /instance-terminations/{build_id}',
      'post /instance-heartbeats/{build_id}',
    ]);
  });
});
