import { escapeHtml } from './html';

/**
 * The small subset of Markdown the spec's descriptions use: paragraphs, pipe tables, `code`, **bold**
 * and *emphasis*. Text is escaped before any markup is added, so descriptions cannot inject HTML.
 */
export function renderMarkdown(text: string): string {
  const blocks = text.trim().split(/\n\s*\n/);
  return blocks.map((block) => (isTable(block) ? renderTable(block) : `<p>${renderInline(block)}</p>`)).join('\n');
}

export function renderInline(text: string): string {
  return escapeHtml(text.trim())
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[\s(])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>')
    .replace(/\n/g, ' ');
}

function isTable(block: string): boolean {
  return block.split('\n').every((line) => line.trim().startsWith('|'));
}

function renderTable(block: string): string {
  const rows = block
    .split('\n')
    .map((line) => splitRow(line))
    .filter((cells) => !cells.every((cell) => /^:?-+:?$/.test(cell)));
  const [header, ...body] = rows;
  const head = (header ?? []).map((cell) => `<th>${renderInline(cell)}</th>`).join('');
  const bodyRows = body.map((cells) => `<tr>${cells.map((cell) => `<td>${renderInline(cell)}</td>`).join('')}</tr>`);
  return `<table><thead><tr>${head}</tr></thead><tbody>${bodyRows.join('')}</tbody></table>`;
}

function splitRow(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) => cell.trim());
}
