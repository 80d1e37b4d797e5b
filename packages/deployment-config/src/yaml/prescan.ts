import type { YamlProblem } from './worker-protocol';

export interface PrescanLimits {
  /** Largest text, in UTF-8 bytes. */
  maxBytes: number;
  /** Deepest nesting the scan may see; the parser's exact check still applies below it. */
  maxDepth: number;
  /** Aliases the scan may see (a long flow list of them is slow to parse); the exact count is the worker's. */
  maxAliases: number;
}

const space = 32;
const tab = 9;
const newline = 10;
const carriageReturn = 13;

function isBlank(code: number): boolean {
  return code === space || code === tab || code === newline || code === carriageReturn || Number.isNaN(code);
}

function isLetterOrDigit(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
}

/**
 * A linear scan of the raw text that refuses, before any parser runs, what would make a parser slow or deep:
 * oversized text, a stream of many documents, deep flow nesting (`[[[[…`) or compact block nesting
 * (`- - - - …`), and thousands of aliases. It over-approximates (brackets or stars inside a block scalar count
 * too), so its bounds sit above the exact ones the worker applies. One pass over char codes: on a 1 MB file it
 * must cost a few milliseconds, not the hundreds a line-by-line scan with regular expressions took.
 */
export function prescanYaml(text: string, limits: PrescanLimits): YamlProblem | undefined {
  // A UTF-16 length above the limit is already too many bytes; counting bytes is only needed below it.
  if (text.length > limits.maxBytes || Buffer.byteLength(text, 'utf8') > limits.maxBytes) {
    return { offset: 0, message: `refused: larger than ${limits.maxBytes} bytes` };
  }
  const length = text.length;
  let documents = 0;
  let contentBeforeMarker = false;
  let flowDepth = 0;
  let aliases = 0;
  let index = 0;
  while (index < length) {
    const lineStart = index;
    const first = text.charCodeAt(index);
    if (first === 45 && text.startsWith('---', index) && isBlank(text.charCodeAt(index + 3))) {
      documents += 1;
      if (documents + (contentBeforeMarker ? 1 : 0) > 1) {
        return { offset: lineStart, message: 'refused: more than one YAML document' };
      }
    } else if (documents === 0 && !isBlank(first) && first !== 35 && first !== 37) {
      contentBeforeMarker = true;
    }
    let blockIndicators = 0;
    let leading = true;
    let quote = 0;
    for (; index < length; index += 1) {
      const code = text.charCodeAt(index);
      if (code === newline) break;
      if (quote !== 0) {
        if (code === quote) quote = 0;
        continue;
      }
      if (isLetterOrDigit(code)) {
        leading = false;
        continue;
      }
      if (code === space || code === tab || code === carriageReturn) continue;
      const separatedBefore = index === lineStart || isBlank(text.charCodeAt(index - 1));
      if (leading && (code === 45 || code === 63) && isBlank(text.charCodeAt(index + 1))) {
        blockIndicators += 1; // `- ` or `? `: one more level on this line
      } else if (code === 35 && separatedBefore) {
        while (index < length && text.charCodeAt(index) !== newline) index += 1; // a comment
        break;
      } else {
        leading = false;
        if (code === 34 || code === 39) quote = code;
        else if (code === 91 || code === 123) flowDepth += 1;
        else if (code === 93 || code === 125) flowDepth = Math.max(0, flowDepth - 1);
        else if (code === 42 && (separatedBefore || '[{,:'.includes(text[index - 1] ?? ''))) aliases += 1;
      }
      if (flowDepth + blockIndicators > limits.maxDepth) {
        return { offset: index, message: `refused: nesting deeper than ${limits.maxDepth} levels` };
      }
      if (aliases > limits.maxAliases) {
        return { offset: index, message: `refused: more than ${limits.maxAliases} aliases` };
      }
    }
    index += 1;
  }
  return undefined;
}
