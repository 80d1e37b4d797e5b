import { findUnstorableText } from './unstorable-text';

describe('findUnstorableText', () => {
  it('names every string Postgres text cannot store, by its path', () => {
    const body = {
      site: 'a\u0000b',
      tags: ['ok', '\ud800', 'pair \ud83d\ude00 ok'],
      nested: { deep: ['\udc00x'] },
      count: 3,
    };
    expect(findUnstorableText(body, 'body')).toEqual([
      { path: 'body.site', message: 'must not contain NUL (\\u0000) characters' },
      { path: 'body.tags[1]', message: 'must not contain unpaired UTF-16 surrogates' },
      { path: 'body.nested.deep[0]', message: 'must not contain unpaired UTF-16 surrogates' },
    ]);
  });

  it('accepts what Postgres stores as given: emoji, other control characters, the empty string', () => {
    expect(findUnstorableText({ a: '\ud83d\ude00', b: '\u0001\u001f\u007f', c: '', d: null, e: true }, 'body')).toEqual(
      [],
    );
  });

  it('refuses a body nested deeper than 64 levels, however deep, without overflowing the stack', () => {
    let deep: unknown = '\u0000';
    for (let level = 0; level < 200_000; level += 1) deep = { a: deep };
    expect(findUnstorableText(deep, 'body')).toEqual([
      { path: `${`body${'.a'.repeat(64)}`.slice(0, 200)}`, message: 'is nested deeper than 64 levels' },
    ]);
    let allowed: unknown = 'ok';
    for (let level = 0; level < 64; level += 1) allowed = [allowed];
    expect(findUnstorableText(allowed, 'body')).toEqual([]);
    expect(findUnstorableText([allowed], 'body')).toEqual([
      { path: `body${'[0]'.repeat(64)}`, message: 'is nested deeper than 64 levels' },
    ]);
  });

  it('passes over bytes (an uploaded file) at once: they are no text, and a NUL in them is data', () => {
    const file = Buffer.alloc(16 * 1024 * 1024);
    const started = performance.now();
    expect(findUnstorableText({ file, name: 'a\u0000' }, 'body')).toEqual([
      { path: 'body.name', message: 'must not contain NUL (\\u0000) characters' },
    ]);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('stops after twenty problems', () => {
    expect(
      findUnstorableText(
        Array.from({ length: 1000 }, () => '\u0000'),
        'body',
      ),
    ).toHaveLength(20);
  });
});
