const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Everything the spec says reaches the page through this: descriptions and examples are untrusted text. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => htmlEscapes[character] ?? character);
}

/** A stable fragment id, e.g. `operation-createInstance` or `schema-Instance`. */
export function anchorId(kind: string, name: string): string {
  return `${kind}-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export function prettyExample(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}
