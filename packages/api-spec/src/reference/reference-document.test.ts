import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSchemaValidator, listOperations, loadOpenApiDocument, openApiDocument } from '..';
import type { OperationObject } from '../openapi-document';
import type { CodeSample } from './code-samples';
import { referenceDocument } from './reference-document';

type Served = OperationObject & { 'x-codeSamples'?: CodeSample[]; 'x-badges'?: { name: string }[] };
const serverUrl = 'http://127.0.0.1:4321';

function operationOf(document: ReturnType<typeof referenceDocument>, method: string, route: string): Served {
  const found = listOperations(document).find((entry) => entry.method === method && entry.path === route);
  if (found === undefined) throw new Error(`${method} ${route} is not in the document`);
  return found.operation as Served;
}

describe('referenceDocument', () => {
  const served = referenceDocument(openApiDocument, serverUrl);

  it('names the URL it was served from as the only server, and leaves the spec itself untouched', () => {
    expect(served.servers).toEqual([expect.objectContaining({ url: serverUrl })]);
    expect(openApiDocument.servers?.[0]?.url).not.toBe(serverUrl);
    expect(JSON.stringify(openApiDocument)).not.toContain('x-codeSamples');
  });

  it('gives every operation a curl, a TypeScript SDK and an overcast CLI sample of its own path', () => {
    const operations = listOperations(served);
    expect(operations.length).toBeGreaterThan(20);
    for (const { method, path: route, operation } of operations) {
      const samples = (operation as Served)['x-codeSamples'] ?? [];
      expect(samples.map((sample) => sample.label)).toEqual(['curl', 'TypeScript SDK', 'overcast CLI']);
      const firstSegment = route.split('/')[1] ?? '';
      for (const sample of samples) expect(sample.source).toContain(`/${firstSegment}`);
      expect(samples[1]?.source).toContain(`overcast.http.${method.toUpperCase()}(${JSON.stringify(route)}`);
    }
  });

  it('writes a create as a new user would send it: token, idempotency key and a body the spec accepts', () => {
    const [curl, sdk, cli] = operationOf(served, 'post', '/instances')['x-codeSamples'] ?? [];
    expect(curl?.source).toMatch(/^curl -X POST http:\/\/127\.0\.0\.1:4321\/instances/);
    expect(curl?.source).toContain('-H "Authorization: Bearer $OVERCAST_TOKEN"');
    expect(curl?.source).toMatch(/-H 'Idempotency-Key: [^']+'/);
    const body = JSON.parse(/--data '([^']+)'/.exec(curl?.source ?? '')?.[1] ?? 'null') as unknown;
    const check = createSchemaValidator(openApiDocument)({ $ref: '#/components/schemas/CreateInstanceRequest' });
    expect(check(body)).toEqual([]);
    expect(sdk?.source).toContain('token: process.env.OVERCAST_TOKEN');
    expect(cli?.source).toMatch(/^overcast api \/instances -X POST -H 'Idempotency-Key: [^']+' --input - <<'EOF'\n\{/);
  });

  it('fills path parameters, sends no token where none is needed and reads text answers as text', () => {
    const [curl, sdk] = operationOf(served, 'get', '/instances/{id}/console')['x-codeSamples'] ?? [];
    expect(curl?.source).toMatch(/\/instances\/[0-9a-f-]{36}\/console/);
    expect(sdk?.source).toMatch(/params: \{ path: \{ id: "[0-9a-f-]{36}" \} \}/);
    expect(sdk?.source).toContain("parseAs: 'text'");
    const [healthCurl] = operationOf(served, 'get', '/healthz')['x-codeSamples'] ?? [];
    expect(healthCurl?.source).toBe(`curl ${serverUrl}/healthz`);
  });

  it('labels admin-only and legacy operations and groups the legacy tag apart, after the everyday API', () => {
    expect(operationOf(served, 'delete', '/')['x-badges']?.map((badge) => badge.name)).toEqual([
      'admin only',
      'legacy',
    ]);
    expect(operationOf(served, 'post', '/tokens')['x-badges']?.map((badge) => badge.name)).toEqual(['admin only']);
    expect(operationOf(served, 'get', '/instances')['x-badges']).toBeUndefined();
    const groups = (served as unknown as { 'x-tagGroups': { name: string; tags: string[] }[] })['x-tagGroups'];
    expect(groups.map((group) => group.name)).toEqual(['API', 'Operations', 'Admin and legacy']);
    expect(groups[0]?.tags).toEqual(expect.arrayContaining(['instances', 'instance-builds', 'quotas']));
    expect(groups.find((group) => group.name === 'Admin and legacy')?.tags).toEqual(['server']);
  });

  describe('with a domain file added', () => {
    let directory: string;
    afterEach(() => rmSync(directory, { recursive: true, force: true }));

    it('samples its operations too: they come from the merged document, not from a list', () => {
      directory = mkdtempSync(path.join(tmpdir(), 'reference-'));
      const domains = path.join(directory, 'domains');
      mkdirSync(domains);
      writeFileSync(
        path.join(domains, 'zoo.yaml'),
        [
          'tags: [{name: zoo}]',
          'paths:',
          '  /zoo/{name}/feed:',
          '    post:',
          '      operationId: feedAnimal',
          '      tags: [zoo]',
          '      parameters: [{name: name, in: path, required: true, schema: {type: string, example: tiger}}]',
          '      requestBody:',
          '        content:',
          '          application/json:',
          '            schema: {type: object, required: [food], properties: {food: {type: string, enum: [meat]}}}',
          '      responses: {"202": {description: fed}}',
        ].join('\n'),
      );
      const document = referenceDocument(loadOpenApiDocument(undefined, domains), serverUrl);
      const [curl, sdk, cli] = operationOf(document, 'post', '/zoo/{name}/feed')['x-codeSamples'] ?? [];
      expect(curl?.source).toContain(`${serverUrl}/zoo/tiger/feed`);
      expect(curl?.source).toContain(`--data '{\n  "food": "meat"\n}'`);
      expect(sdk?.source).toContain('params: { path: { name: "tiger" } }');
      expect(cli?.source).toBe(`overcast api /zoo/tiger/feed -X POST --input - <<'EOF'\n{\n  "food": "meat"\n}\nEOF`);
      const groups = (document as unknown as { 'x-tagGroups': { name: string; tags: string[] }[] })['x-tagGroups'];
      expect(groups[0]?.tags).toContain('zoo');
    });
  });
});
