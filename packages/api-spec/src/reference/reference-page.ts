import path from 'node:path';

/**
 * Scalar's standalone bundle (one self-contained script: its styles, Vue and the API client inlined), served by
 * the gateway itself so /docs works offline. Its package exports no path to it: found beside its main module.
 */
export const referenceScriptPath = path.join(
  path.dirname(require.resolve('@scalar/api-reference')),
  'browser',
  'standalone.js',
);

export interface ReferencePageOptions {
  /** The document the page renders (with its samples and this server's URL), relative to the page. */
  documentUrl: string;
  /** Where the gateway serves `referenceScriptPath`. */
  scriptUrl: string;
  title: string;
}

/**
 * The reference page: Scalar over the served document. Nothing leaves the gateway: no fonts from Scalar's CDN
 * (`withDefaultFonts: false`), no proxy (try-it calls this same origin), no telemetry, no AI agent or MCP links.
 */
export function renderReferencePage(options: ReferencePageOptions): string {
  const configuration = {
    url: options.documentUrl,
    title: options.title,
    withDefaultFonts: false,
    telemetry: false,
    hideClientButton: false,
    showDeveloperTools: 'never',
    agent: { disabled: true },
    mcp: { disabled: true },
    documentDownloadType: 'json',
    // Only the spec's own samples (curl, the TypeScript SDK, the overcast CLI), not Scalar's generic clients.
    hiddenClients: true,
    authentication: {
      preferredSecurityScheme: 'bearerAuth',
      securitySchemes: { bearerAuth: { token: '' } },
    },
    persistAuth: true,
  };
  // `<` escaped so no value can close the script element.
  const json = JSON.stringify(configuration).replaceAll('<', '\\u003c');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(options.title)}</title>
  </head>
  <body>
    <div id="app"></div>
    <script src="${escapeHtml(options.scriptUrl)}"></script>
    <script>
      Scalar.createApiReference('#app', ${json});
    </script>
  </body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}
