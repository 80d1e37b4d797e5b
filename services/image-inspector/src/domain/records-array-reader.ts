/** Why a document was not read: it is not JSON, or it ends before its last value does. */
export class JsonDocumentError extends Error {
  constructor(
    readonly kind: 'invalid' | 'truncated',
    message: string,
  ) {
    super(message);
  }
}

const quote = 0x22;
const backslash = 0x5c;
const comma = 0x2c;
const isOpener = (byte: number) => byte === 0x7b || byte === 0x5b; // { [
const isCloser = (byte: number) => byte === 0x7d || byte === 0x5d; // } ]
const copy = (bytes: Uint8Array) => Buffer.from(bytes);

/** Whether a text is only JSON whitespace: read up to its first other character, not copied as trim() would. */
function isBlank(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return false;
  }
  return true;
}

/**
 * Reads a JSON object's `Records` array element by element as bytes arrive, in memory bounded by one element. It
 * only finds where each value two levels deep (an element of a member's array or object) starts and ends, tracking
 * strings and brackets, and hands that value's text to JSON.parse, which validates it; the outer levels (the
 * document with each such value standing as 0) are kept and checked by JSON.parse at the end. Why no streaming
 * JSON library: on CloudTrail records @streamparser/json and stream-json (documented as not meant for untrusted
 * input) were both far slower, building values character by character in JavaScript (figures in bench/README.md);
 * this leaves the parsing itself to V8's JSON.parse.
 */
export class RecordsArrayReader {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The outer document so far, each value two levels deep replaced by 0. */
  private outer: Buffer[] = [];
  /** The text of the current element so far, when it spans chunks. */
  private element: Buffer[] = [];
  private elements = 0;
  private containerIsArray = false;
  private inRecords = false;
  /** The last string of the top-level object (its current member's key, in a valid document), and its pieces. */
  private lastString = '';
  private stringPieces: Buffer[] | null = null;

  /** `onRecord` gets each element of `Records` parsed, and its JSON text. */
  constructor(private readonly onRecord: (value: unknown, text: string) => void) {}

  write(chunk: Buffer): void {
    let outerStart = this.depth <= 1 ? 0 : -1;
    let elementStart = this.depth >= 2 ? 0 : -1;
    let stringStart = this.stringPieces ? 0 : -1;
    let nextBackslash = chunk.indexOf(backslash);
    let index = 0;
    while (index < chunk.length) {
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          index += 1;
          continue;
        }
        if (nextBackslash >= 0 && nextBackslash < index) nextBackslash = chunk.indexOf(backslash, index);
        const nextQuote = chunk.indexOf(quote, index);
        if (nextBackslash >= 0 && (nextQuote < 0 || nextBackslash < nextQuote)) {
          this.escaped = true;
          index = nextBackslash + 1;
          continue;
        }
        if (nextQuote < 0) break;
        this.inString = false;
        index = nextQuote + 1;
        if (stringStart >= 0) {
          this.endString(chunk.subarray(stringStart, index));
          stringStart = -1;
        }
        continue;
      }
      const byte = chunk[index] as number;
      if (byte === quote) {
        this.inString = true;
        if (this.depth === 1) {
          this.stringPieces = [];
          stringStart = index;
        }
      } else if (isOpener(byte)) {
        this.depth += 1;
        if (this.depth === 2) {
          this.outer.push(copy(chunk.subarray(outerStart, index + 1)));
          outerStart = -1;
          elementStart = index + 1;
          this.elements = 0;
          this.containerIsArray = byte === 0x5b;
          this.inRecords = this.containerIsArray && this.lastString === 'Records';
        }
      } else if (isCloser(byte)) {
        if (this.depth === 2) {
          this.endElement(chunk.subarray(elementStart, index), false);
          elementStart = -1;
          outerStart = index;
        }
        this.depth -= 1;
        if (this.depth < 0) throw new JsonDocumentError('invalid', `unexpected "${String.fromCharCode(byte)}"`);
      } else if (byte === comma && this.depth === 2) {
        this.endElement(chunk.subarray(elementStart, index), true);
        elementStart = index + 1;
      }
      index += 1;
    }
    if (outerStart >= 0) this.outer.push(copy(chunk.subarray(outerStart)));
    if (elementStart >= 0) this.element.push(copy(chunk.subarray(elementStart)));
    if (stringStart >= 0) this.stringPieces?.push(copy(chunk.subarray(stringStart)));
  }

  /** Checks that the document is whole and valid, once its last byte is written. */
  end(): void {
    if (this.depth > 0 || this.inString) throw new JsonDocumentError('truncated', 'it ends inside a value');
    try {
      JSON.parse(Buffer.concat(this.outer).toString('utf8'));
    } catch (error) {
      throw new JsonDocumentError('invalid', (error as Error).message);
    }
  }

  private endString(last: Buffer): void {
    const pieces = this.stringPieces ?? [];
    this.stringPieces = null;
    try {
      const text: unknown = JSON.parse(Buffer.concat([...pieces, last]).toString('utf8'));
      this.lastString = typeof text === 'string' ? text : '';
    } catch {
      this.lastString = ''; // an invalid string fails the outer document's check at the end
    }
  }

  private endElement(last: Buffer, followedByComma: boolean): void {
    const text = (this.element.length === 0 ? last : Buffer.concat([...this.element, last])).toString('utf8');
    this.element = [];
    if (isBlank(text)) {
      // The close of an empty array or object has no element before it.
      if (!followedByComma && this.elements === 0) return;
      throw new JsonDocumentError('invalid', 'a comma stands where a value should');
    }
    this.elements += 1;
    let value: unknown;
    try {
      value = JSON.parse(this.containerIsArray ? text : `{${text}}`);
    } catch (error) {
      throw new JsonDocumentError('invalid', (error as Error).message);
    }
    this.outer.push(Buffer.from(`${this.containerIsArray ? '0' : '"":0'}${followedByComma ? ',' : ''}`));
    if (this.inRecords) this.onRecord(value, text);
  }
}
