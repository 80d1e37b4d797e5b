import type { OpenApiDocument } from '../openapi-document';
import type { DocumentedOperation } from '../walk-document';
import { listOperations } from '../walk-document';
import { anchorId, escapeHtml } from './html';
import { renderInline, renderMarkdown } from './markdown';
import { renderOperation } from './render-operation';
import { renderSchema } from './render-schema';
import { referencePageStyles } from './styles';

interface TagGroup {
  name: string;
  description: string;
  operations: DocumentedOperation[];
}

/** Operations grouped by their first tag, in the order of the document's tag list; untagged ones last. */
function groupByTag(document: OpenApiDocument): TagGroup[] {
  const groups = new Map<string, TagGroup>();
  for (const tag of document.tags ?? []) {
    groups.set(tag.name, { name: tag.name, description: tag.description ?? '', operations: [] });
  }
  for (const entry of listOperations(document)) {
    const name = entry.operation.tags?.[0] ?? 'other';
    const group = groups.get(name) ?? { name, description: '', operations: [] };
    group.operations.push(entry);
    groups.set(name, group);
  }
  return [...groups.values()].filter((group) => group.operations.length > 0);
}

function renderNavigation(groups: TagGroup[], document: OpenApiDocument): string {
  const sections = groups.map((group) => {
    const links = group.operations.map(({ method, path, operation }) => {
      const id = operation.operationId ?? `${method}-${path}`;
      return `<li><a href="#${anchorId('operation', id)}">${method.toUpperCase()} ${escapeHtml(path)}</a></li>`;
    });
    return `<h2><a href="#${anchorId('tag', group.name)}">${escapeHtml(group.name)}</a></h2><ul>${links.join('')}</ul>`;
  });
  const schemaLinks = Object.keys(document.components?.schemas ?? {}).map(
    (name) => `<li><a href="#${anchorId('schema', name)}">${escapeHtml(name)}</a></li>`,
  );
  return `<nav><h2><a href="#authentication">authentication</a></h2>${sections.join('')}<h2>schemas</h2><ul>${schemaLinks.join('')}</ul></nav>`;
}

function renderSecuritySchemes(document: OpenApiDocument): string {
  const rows = Object.entries(document.components?.securitySchemes ?? {}).map(
    ([name, scheme]) =>
      `<tr id="${anchorId('auth', name)}"><td><code>${escapeHtml(name)}</code></td><td>${escapeHtml(
        [scheme.type, scheme.scheme, scheme.in && `in ${scheme.in}`, scheme.name].filter(Boolean).join(' '),
      )}</td><td>${renderInline(scheme.description ?? '')}</td></tr>`,
  );
  return `<h2 class="tag" id="authentication">Authentication</h2><table><thead><tr><th>Scheme</th><th>Kind</th><th>Use</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function renderSchemas(document: OpenApiDocument): string {
  const sections = Object.entries(document.components?.schemas ?? {}).map(
    ([name, schema]) =>
      `<section class="schema" id="${anchorId('schema', name)}"><h3>${escapeHtml(name)}</h3>${renderSchema(schema, document)}</section>`,
  );
  return `<h2 class="tag" id="schemas">Schemas</h2>${sections.join('\n')}`;
}

/** A self-contained HTML API reference (inline CSS, no scripts, no external assets) for `/docs`. */
export function renderReferencePage(document: OpenApiDocument): string {
  const groups = groupByTag(document);
  const title = `${document.info.title} ${document.info.version}`;
  const body = groups.map(
    (group) =>
      `<h2 class="tag" id="${anchorId('tag', group.name)}">${escapeHtml(group.name)}</h2>` +
      `${group.description ? renderMarkdown(group.description) : ''}` +
      group.operations.map((entry) => renderOperation(entry, document)).join('\n'),
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${referencePageStyles}</style>
</head>
<body>
<div class="layout">
${renderNavigation(groups, document)}
<main>
<h1>${escapeHtml(title)}</h1>
${document.info.summary ? `<p class="summary">${renderInline(document.info.summary)}</p>` : ''}
${document.info.description ? renderMarkdown(document.info.description) : ''}
<p>Base URL: ${(document.servers ?? []).map((server) => `<code>${escapeHtml(server.url)}</code>`).join(', ') || 'this server'}</p>
${renderSecuritySchemes(document)}
${body.join('\n')}
${renderSchemas(document)}
</main>
</div>
</body>
</html>
`;
}
