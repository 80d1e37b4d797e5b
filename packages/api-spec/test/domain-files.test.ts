import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadOpenApiDocument } from '../src';

describe('the spec split into openapi.yaml and domains/*.yaml', () => {
  let directory: string;
  let root: string;
  let domains: string;
  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'api-spec-'));
    root = path.join(directory, 'openapi.yaml');
    domains = path.join(directory, 'domains');
    writeFileSync(
      root,
      [
        'openapi: 3.1.0',
        'info: {title: t, version: "1"}',
        'tags: [{name: ops}]',
        'paths:',
        '  /healthz: {get: {operationId: getHealth, responses: {"200": {description: ok}}}}',
        'components:',
        '  schemas:',
        '    Error: {type: object}',
      ].join('\n'),
    );
    mkdirSync(domains);
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('merges each domain file’s tags, paths and components into the root document', () => {
    writeFileSync(
      path.join(domains, 'apps.yaml'),
      [
        'tags: [{name: apps, description: Container apps}]',
        'paths:',
        '  /apps: {get: {operationId: listApps, responses: {"200": {$ref: "#/components/responses/Apps"}}}}',
        'components:',
        '  schemas:',
        '    App: {type: object}',
        '  responses:',
        '    Apps: {description: the apps}',
      ].join('\n'),
    );
    const document = loadOpenApiDocument(root, domains);
    expect(document.tags?.map((tag) => tag.name)).toEqual(['ops', 'apps']);
    expect(Object.keys(document.paths)).toEqual(['/healthz', '/apps']);
    expect(Object.keys(document.components?.schemas ?? {})).toEqual(['Error', 'App']);
    expect(document.components?.responses?.Apps).toEqual({ description: 'the apps' });
  });

  it('refuses a path, schema or tag that two files both define, naming the file and the name', () => {
    writeFileSync(path.join(domains, 'a.yaml'), 'paths:\n  /healthz: {}\n');
    expect(() => loadOpenApiDocument(root, domains)).toThrow('domains/a.yaml paths: "/healthz" is already defined');
    writeFileSync(path.join(domains, 'a.yaml'), 'components: {schemas: {Error: {type: string}}}\n');
    expect(() => loadOpenApiDocument(root, domains)).toThrow('components.schemas: "Error" is already defined');
    writeFileSync(path.join(domains, 'a.yaml'), 'tags: [{name: ops}]\n');
    expect(() => loadOpenApiDocument(root, domains)).toThrow('tag "ops" is already defined');
  });

  it('reads the root alone when there is no domains directory', () => {
    rmSync(domains, { recursive: true });
    expect(Object.keys(loadOpenApiDocument(root, domains).paths)).toEqual(['/healthz']);
  });
});
