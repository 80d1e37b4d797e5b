import type { ExampleObject, MediaTypeObject, OpenApiDocument } from '../openapi-document';
import { dereference } from '../walk-document';
import { escapeHtml, prettyExample } from './html';

/** The examples of a media type, `example` and each named one, as titled code blocks. */
export function renderExamples(media: MediaTypeObject, document: OpenApiDocument): string {
  const blocks: string[] = [];
  if (media.example !== undefined) blocks.push(codeBlock('Example', media.example));
  for (const [name, exampleOrReference] of Object.entries(media.examples ?? {})) {
    const example = dereference<ExampleObject>(document, exampleOrReference);
    blocks.push(codeBlock(`Example: ${example.summary ?? name}`, example.value));
  }
  return blocks.join('\n');
}

function codeBlock(title: string, value: unknown): string {
  return `<div class="example"><div class="example-title">${escapeHtml(title)}</div><pre><code>${escapeHtml(prettyExample(value))}</code></pre></div>`;
}
