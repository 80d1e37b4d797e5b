import type {
  HeaderObject,
  MediaTypeObject,
  OpenApiDocument,
  ParameterObject,
  RequestBodyObject,
  ResponseObject,
} from '../openapi-document';
import type { DocumentedOperation } from '../walk-document';
import { dereference } from '../walk-document';
import { anchorId, escapeHtml } from './html';
import { renderInline, renderMarkdown } from './markdown';
import { renderExamples } from './render-examples';
import { describeConstraints, describeType, renderSchema } from './render-schema';

function renderAuthentication(entry: DocumentedOperation, document: OpenApiDocument): string {
  const requirements = entry.operation.security ?? document.security ?? [];
  const role = entry.operation['x-overcast-role'];
  if (requirements.length === 0) return '<p class="auth">No authentication.</p>';
  const schemes = requirements.flatMap((requirement) => Object.keys(requirement));
  const links = schemes.map((scheme) => `<a href="#${anchorId('auth', scheme)}">${escapeHtml(scheme)}</a>`);
  const roleNote = role === 'admin' ? ' <span class="badge admin">admin only</span>' : '';
  return `<p class="auth">Authentication: ${links.join(' or ')}.${roleNote}</p>`;
}

function renderParameters(entry: DocumentedOperation, document: OpenApiDocument): string {
  if (entry.parameters.length === 0) return '';
  const rows = entry.parameters.map((parameterOrReference) => {
    const parameter = dereference<ParameterObject>(document, parameterOrReference);
    const type = parameter.schema ? describeType(parameter.schema) : 'string';
    const constraints = parameter.schema ? describeConstraints(dereference(document, parameter.schema)) : '';
    const example =
      parameter.example === undefined ? '' : ` Example: <code>${escapeHtml(String(parameter.example))}</code>`;
    const required = parameter.required ? ' <span class="required">required</span>' : '';
    return (
      `<tr><td><code>${escapeHtml(parameter.name)}</code>${required}</td><td>${parameter.in}</td><td>${type}</td>` +
      `<td>${renderInline(parameter.description ?? '')} ${constraints}${example}</td></tr>`
    );
  });
  return `<h4>Parameters</h4><table><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Notes</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function renderContent(content: Record<string, MediaTypeObject> | undefined, document: OpenApiDocument): string {
  return Object.entries(content ?? {})
    .map(
      ([mediaType, media]) =>
        `<div class="media"><div class="media-type">${escapeHtml(mediaType)}</div>` +
        `${media.schema ? renderSchema(media.schema, document) : ''}${renderExamples(media, document)}</div>`,
    )
    .join('\n');
}

function renderRequestBody(entry: DocumentedOperation, document: OpenApiDocument): string {
  if (entry.operation.requestBody === undefined) return '';
  const body = dereference<RequestBodyObject>(document, entry.operation.requestBody);
  const optional = body.required ? '' : ' <span class="note">(optional)</span>';
  return `<h4>Request body${optional}</h4>${renderContent(body.content, document)}`;
}

function renderResponses(entry: DocumentedOperation, document: OpenApiDocument): string {
  const items = Object.entries(entry.operation.responses ?? {}).map(([status, responseOrReference]) => {
    const response = dereference<ResponseObject>(document, responseOrReference);
    const headers = Object.entries(response.headers ?? {}).map(([name, headerOrReference]) => {
      const header = dereference<HeaderObject>(document, headerOrReference);
      return `<li>Header <code>${escapeHtml(name)}</code>: ${renderInline(header.description ?? '')}</li>`;
    });
    const statusClass = status.startsWith('2') ? 'ok' : status.startsWith('3') ? 'redirect' : 'error';
    return (
      `<div class="response"><div class="response-head"><span class="status ${statusClass}">${escapeHtml(status)}</span> ` +
      `${renderInline(response.description)}</div>${headers.length > 0 ? `<ul>${headers.join('')}</ul>` : ''}` +
      `${renderContent(response.content, document)}</div>`
    );
  });
  return `<h4>Responses</h4>${items.join('\n')}`;
}

export function renderOperation(entry: DocumentedOperation, document: OpenApiDocument): string {
  const { operation, method, path } = entry;
  const id = operation.operationId ?? `${method}-${path}`;
  return `<section class="operation" id="${anchorId('operation', id)}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code class="path">${escapeHtml(path)}</code></h3>
<p class="summary">${renderInline(operation.summary ?? '')} <span class="operation-id">${escapeHtml(id)}</span></p>
${renderAuthentication(entry, document)}
${operation.description ? renderMarkdown(operation.description) : ''}
${renderParameters(entry, document)}
${renderRequestBody(entry, document)}
${renderResponses(entry, document)}
</section>`;
}
