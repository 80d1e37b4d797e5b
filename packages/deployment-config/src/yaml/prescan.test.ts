import { prescanYaml } from './prescan';

const limits = { maxBytes: 1000, maxDepth: 10, maxAliases: 5 };

describe('the prescan refuses before any parser runs', () => {
  test('text over the byte limit, counting UTF-8 bytes', () => {
    expect(prescanYaml('a: ' + 'é'.repeat(499), limits)).toMatchObject({ message: /larger than 1000 bytes/ });
    expect(prescanYaml('a: ' + 'e'.repeat(499), limits)).toBeUndefined();
  });

  test('a second document, whether or not the first starts with ---', () => {
    expect(prescanYaml('---\na: 1\n---\nb: 2\n', limits)).toMatchObject({ offset: 9, message: /more than one/ });
    expect(prescanYaml('a: 1\n---\nb: 2\n', limits)).toMatchObject({ message: /more than one/ });
    expect(prescanYaml('# comment\n---\na: 1\n...\n', limits)).toBeUndefined();
  });

  test('flow and compact block nesting past the depth; brackets in quotes and comments do not count', () => {
    expect(prescanYaml(`a: ${'['.repeat(11)}`, limits)).toMatchObject({ message: /deeper than 10/ });
    expect(prescanYaml(`${'- '.repeat(11)}x`, limits)).toMatchObject({ message: /deeper than 10/ });
    expect(prescanYaml(`a: "${'['.repeat(50)}"\nb: 1 # ${'{'.repeat(50)}\n`, limits)).toBeUndefined();
  });

  test('aliases past the count; a star inside a word or quotes is not an alias', () => {
    expect(prescanYaml(`a: &a 1\nb: [${Array(6).fill('*a').join(', ')}]`, limits)).toMatchObject({
      message: /aliases/,
    });
    expect(prescanYaml(`a: 2*3*4*5*6*7*8\nb: "*a *a *a *a *a *a"`, limits)).toBeUndefined();
  });
});
