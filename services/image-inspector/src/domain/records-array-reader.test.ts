import { JsonDocumentError, RecordsArrayReader } from './records-array-reader';

/** The document written in pieces of `size` bytes: the records read, or the error. */
function read(document: string, size: number): unknown[] {
  const records: unknown[] = [];
  const reader = new RecordsArrayReader((value) => records.push(value));
  const bytes = Buffer.from(document);
  for (let offset = 0; offset < bytes.length; offset += size) reader.write(bytes.subarray(offset, offset + size));
  reader.end();
  return records;
}

function errorOf(read: () => unknown): unknown {
  try {
    read();
  } catch (error) {
    return error;
  }
  return undefined;
}

const tricky = [
  { eventID: 'a', text: 'quote " backslash \\ brace } bracket ] comma , colon :', nested: [{ deep: [1, { x: '[' }] }] },
  { eventID: 'b', escapes: '\\\\"\\"', unicode: 'é 日本 \u2028 😀', numbers: [-1.5e3, 0, 12] },
  'a string record',
  42,
  null,
  [],
  {},
];

describe('RecordsArrayReader', () => {
  it.each([1, 2, 3, 7, 64, 100_000])(
    'reads every Records element as JSON.parse does, in pieces of %i bytes',
    (size) => {
      const document = JSON.stringify({ Other: { Records: [1] }, Records: tricky, After: ['x', { y: 2 }] }, null, 2);
      expect(read(document, size)).toEqual(tricky);
    },
  );

  it('reads an empty Records array and a document without one', () => {
    expect(read('{"Records": [ ]}', 3)).toEqual([]);
    expect(read('{"digestStartTime": "2018-01-01", "logFiles": [{"s3Object": "k"}]}', 5)).toEqual([]);
    expect(read('{"Rec\\u006frds": [{"a": 1}]}', 4)).toEqual([{ a: 1 }]);
  });

  it.each([
    ['a trailing comma in Records', '{"Records": [{"a": 1},]}'],
    ['a trailing comma in a member object', '{"Meta": {"a": 1,}, "Records": []}'],
    ['garbage among the records', '{"Records": [{"a": 1}, nonsense]}'],
    ['a missing colon', '{"Records" [{"a": 1}]}'],
    ['a second document after the first', '{"Records": []} {"Records": [{"a": 1}]}'],
    ['a closing bracket too many', '{"Records": []}]'],
    ['an invalid string in a record', '{"Records": [{"a": "\\x"}]}'],
  ])('refuses %s as invalid', (_name, document) => {
    for (const size of [1, 5, 1000]) {
      const error = errorOf(() => read(document, size));
      expect(error).toBeInstanceOf(JsonDocumentError);
      expect(error).toMatchObject({ kind: 'invalid' });
    }
  });

  it.each([
    ['inside a record', '{"Records": [{"a": 1}, {"b": '],
    ['inside a string', '{"Records": [{"a": "some'],
    ['after an escape', '{"Records": [{"a": "\\'],
    ['before the closing brace', '{"Records": []'],
  ])('refuses a document that ends %s as truncated', (_name, document) => {
    for (const size of [1, 5, 1000]) {
      const error = errorOf(() => read(document, size));
      expect(error).toBeInstanceOf(JsonDocumentError);
      expect(error).toMatchObject({ kind: 'truncated' });
    }
  });
});
