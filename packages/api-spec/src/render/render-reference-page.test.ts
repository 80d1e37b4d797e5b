import { listOperations, openApiDocument } from '..';
import type { OpenApiDocument } from '../openapi-document';
import { renderReferencePage } from './render-reference-page';

describe('renderReferencePage', () => {
  const page = renderReferencePage(openApiDocument);

  it('renders every operation with its method, path, summary and operationId', () => {
    for (const { method, path, operation } of listOperations(openApiDocument)) {
      const section = page.split(`id="operation-${operation.operationId}"`)[1]?.split('</section>')[0] ?? '';
      expect(section).toContain(`<span class="method ${method}">${method.toUpperCase()}</span>`);
      expect(section).toContain(path.replaceAll('&', '&amp;'));
      expect(section).toContain(operation.operationId);
      expect(section).toContain('<h4>Responses</h4>');
    }
  });

  it('is self-contained: no scripts, stylesheets, images or fonts from elsewhere', () => {
    expect(page).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(page).toContain('<style>');
  });

  it('groups operations under their tags in the order the document lists the tags', () => {
    const tagPositions = (openApiDocument.tags ?? []).map((tag) => page.indexOf(`id="tag-${tag.name}"`));
    expect(tagPositions.every((position) => position > 0)).toBe(true);
    expect([...tagPositions].sort((a, b) => a - b)).toEqual(tagPositions);
  });

  it('shows parameters, request schemas, examples and authentication notes', () => {
    const createInstance = page.split('id="operation-createInstance"')[1]?.split('</section>')[0] ?? '';
    expect(createInstance).toContain('<code>Idempotency-Key</code>');
    expect(createInstance).toContain('href="#schema-CreateInstanceRequest"');
    expect(createInstance).toContain('&quot;provider&quot;: &quot;gce&quot;');
    expect(createInstance).toContain('href="#auth-tokenAuth"');
    expect(page.split('id="operation-getHealth"')[1]).toMatch(/^[^]*?No authentication\./);
    expect(page.split('id="operation-createToken"')[1]?.split('</section>')[0]).toContain('admin only');
  });

  it('documents every named schema with its fields', () => {
    const instance = page.split('id="schema-Instance"')[1]?.split('</section>')[0] ?? '';
    expect(instance).toContain('<code>instance_build_id</code>');
    expect(instance).toContain('<span class="required">required</span>');
  });

  it('escapes text from the document instead of interpreting it as HTML', () => {
    const hostile: OpenApiDocument = {
      openapi: '3.1.0',
      info: { title: '<script>alert(1)</script>', version: '1' },
      paths: { '/x': { get: { operationId: 'getX', summary: '<img src=x onerror=alert(1)>', responses: {} } } },
    };
    const rendered = renderReferencePage(hostile);
    expect(rendered).not.toContain('<script>alert');
    expect(rendered).not.toContain('<img src=x');
    expect(rendered).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
