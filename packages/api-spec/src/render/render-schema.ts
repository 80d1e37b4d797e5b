import type { JsonValue, OpenApiDocument, ReferenceObject, SchemaObject } from '../openapi-document';
import { isReference } from '../walk-document';
import { anchorId, escapeHtml } from './html';
import { renderInline } from './markdown';

type SchemaOrReference = SchemaObject | ReferenceObject;

function referenceName(ref: string): string {
  return ref.split('/').at(-1) ?? ref;
}

function literal(value: JsonValue | undefined): string {
  return `<code>${escapeHtml(JSON.stringify(value))}</code>`;
}

/** A one-line type expression, linking named schemas to their section. */
export function describeType(schema: SchemaOrReference): string {
  if (isReference(schema)) {
    const name = referenceName(schema.$ref);
    return `<a href="#${anchorId('schema', name)}">${escapeHtml(name)}</a>`;
  }
  if (schema.allOf) return schema.allOf.map(describeType).join(' &amp; ');
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) return alternatives.map(describeType).join(' | ');
  if (schema.const !== undefined) return literal(schema.const);
  if (schema.enum) return schema.enum.map(literal).join(' | ');
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? ['any'] : [schema.type];
  return types
    .map((type) => {
      if (type === 'array' && schema.items) return `array of ${describeType(schema.items)}`;
      if (type === 'object' && typeof schema.additionalProperties === 'object') {
        return `map of ${describeType(schema.additionalProperties)}`;
      }
      return escapeHtml(type + (type !== 'null' && schema.format ? ` (${schema.format})` : ''));
    })
    .join(' | ');
}

/** Defaults and bounds, the facts a caller needs beside the type. */
export function describeConstraints(schema: SchemaOrReference): string {
  if (isReference(schema)) return '';
  const notes: string[] = [];
  if (schema.default !== undefined) notes.push(`default ${literal(schema.default)}`);
  if (schema.minimum !== undefined) notes.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) notes.push(`≤ ${schema.maximum}`);
  if (schema.minLength !== undefined) notes.push(`min length ${schema.minLength}`);
  if (schema.maxLength !== undefined) notes.push(`max length ${schema.maxLength}`);
  if (schema.pattern !== undefined) notes.push(`pattern <code>${escapeHtml(schema.pattern)}</code>`);
  return notes.length === 0 ? '' : `<span class="constraints">${notes.join(', ')}</span>`;
}

function renderPropertyTable(schema: SchemaObject, document: OpenApiDocument, depth: number): string {
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const description = isReference(property) ? '' : renderInline(property.description ?? '');
    const nested =
      !isReference(property) && property.properties && depth < 4
        ? renderPropertyTable(property, document, depth + 1)
        : '';
    const requiredBadge = required.has(name) ? ' <span class="required">required</span>' : '';
    return (
      `<tr><td><code>${escapeHtml(name)}</code>${requiredBadge}</td><td>${describeType(property)}</td>` +
      `<td>${description} ${describeConstraints(property)}${nested}</td></tr>`
    );
  });
  const extra = schema.additionalProperties === false ? '<p class="note">No other properties are accepted.</p>' : '';
  return `<table class="properties"><thead><tr><th>Field</th><th>Type</th><th>Notes</th></tr></thead><tbody>${rows.join('')}</tbody></table>${extra}`;
}

/** A schema as a readable block: a link for named schemas, a field table for inline objects. */
export function renderSchema(schema: SchemaOrReference, document: OpenApiDocument, depth = 0): string {
  if (isReference(schema)) return `<p class="schema-ref">Schema: ${describeType(schema)}</p>`;
  const parts: string[] = [];
  if (schema.description) parts.push(`<p>${renderInline(schema.description)}</p>`);
  if (schema.allOf) {
    parts.push(`<p>All of: ${describeType(schema)}</p>`);
    for (const part of schema.allOf) if (!isReference(part)) parts.push(renderSchema(part, document, depth + 1));
  } else if (schema.oneOf ?? schema.anyOf) {
    parts.push(`<p>One of: ${describeType(schema)}</p>`);
  } else if (schema.properties) {
    parts.push(renderPropertyTable(schema, document, depth));
  } else {
    parts.push(`<p>Type: ${describeType(schema)} ${describeConstraints(schema)}</p>`);
  }
  return parts.join('\n');
}
