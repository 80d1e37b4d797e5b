import type { YamlProblem } from './worker-protocol';

export interface PrescanLimits {
  /** Largest text, in UTF-8 bytes. */
  maxBytes: number;
  /** Deepest nesting the scan may see; the worker's exact check still applies below it. */
  maxDepth: number;
  /** Aliases the scan may see (yaml's parser is slow on a long flow list of them); the worker counts exactly. */
  maxAliases: number;
}

const documentStart = /^---(?:[ \t]|$)/;

/**
 * A linear scan of the raw text that refuses, before any YAML parser runs, what would make even yaml's
 * iterative CST parser slow: oversized text, a stream of many documents, and deep flow nesting (`[[[[…`) or
 * compact block nesting (`- - - - …`), and thousands of aliases. It over-approximates (brackets or stars inside a
 * block scalar count too), so its bounds should sit above the exact ones the worker applies.
 */
export function prescanYaml(text: string, limits: PrescanLimits): YamlProblem | undefined {
  // A UTF-16 length above the limit is already too many bytes; counting bytes is only needed below it.
  if (text.length > limits.maxBytes || Buffer.byteLength(text, 'utf8') > limits.maxBytes) {
    return { offset: 0, message: `refused: larger than ${limits.maxBytes} bytes` };
  }
  let documents = 0;
  let contentBeforeMarker = false;
  let flowDepth = 0;
  let aliases = 0;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    if (documentStart.test(line)) {
      documents += 1;
      if (documents + (contentBeforeMarker ? 1 : 0) > 1) {
        return { offset: lineStart, message: 'refused: more than one YAML document' };
      }
    } else if (documents === 0 && /^[^\s#%]/.test(line)) {
      contentBeforeMarker = true;
    }
    let blockIndicators = 0;
    let leading = true;
    let quote = '';
    for (let index = 0; index < line.length; index += 1) {
      const char = line[index];
      if (quote) {
        if (char === quote) quote = '';
        continue;
      }
      const separated = (at: number) => /[ \t]/.test(line[at] ?? ' ');
      if (leading && (char === '-' || char === '?') && separated(index + 1)) {
        blockIndicators += 1;
      } else if (char === ' ' || char === '\t') {
        // separation: nothing to count
      } else if (char === '#' && (index === 0 || separated(index - 1))) {
        break;
      } else {
        leading = false;
        if (char === '"' || char === "'") quote = char;
        else if (char === '[' || char === '{') flowDepth += 1;
        else if (char === ']' || char === '}') flowDepth = Math.max(0, flowDepth - 1);
        else if (char === '*' && (index === 0 || /[\s[{,:]/.test(line[index - 1] ?? ''))) aliases += 1;
      }
      if (aliases > limits.maxAliases) {
        return { offset: lineStart + index, message: `refused: more than ${limits.maxAliases} aliases` };
      }
      if (flowDepth + blockIndicators > limits.maxDepth) {
        return { offset: lineStart + index, message: `refused: nesting deeper than ${limits.maxDepth} levels` };
      }
    }
    lineStart = lineEnd + 1;
  }
  return undefined;
}
