import { existsSync, readFileSync } from 'node:fs';
import { referenceScriptPath, renderReferencePage } from './reference-page';

describe('renderReferencePage', () => {
  const page = renderReferencePage({
    documentUrl: '/openapi.json',
    scriptUrl: '/docs/api-reference.js',
    title: 'Overcast </script> API',
  });

  it('loads Scalar from the gateway and the document from /openapi.json, nothing from elsewhere', () => {
    expect(page).toContain('<script src="/docs/api-reference.js"></script>');
    expect(page).toContain('"url":"/openapi.json"');
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(page).toContain('"withDefaultFonts":false');
  });

  it('escapes what it embeds, so no title can close its script or markup', () => {
    expect(page).toContain('<title>Overcast &lt;/script&gt; API</title>');
    expect(page.match(/<\/script>/g)).toHaveLength(2);
  });

  it('points at Scalar’s self-contained standalone bundle from the installed package', () => {
    expect(existsSync(referenceScriptPath)).toBe(true);
    const script = readFileSync(referenceScriptPath, 'utf8');
    expect(script).toContain('createApiReference');
    // One file: a bundle that loaded chunks would fail offline when only this file is served.
    expect(script).not.toMatch(/import\(["'`]\.\/chunks/);
  });
});
