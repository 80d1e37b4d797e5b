import { locateInclude } from './locate-include';

describe('where an include points', () => {
  test('a relative path is beside the including file; an absolute path is itself', () => {
    expect(locateInclude('x.yml', '/srv/app/overcast.yml')).toEqual({ kind: 'file', path: '/srv/app/x.yml' });
    expect(locateInclude('../shared/x.yml', '/srv/app/overcast.yml')).toEqual({
      kind: 'file',
      path: '/srv/shared/x.yml',
    });
    expect(locateInclude('/tmp/x.yml', '/srv/app/overcast.yml')).toEqual({ kind: 'file', path: '/tmp/x.yml' });
  });

  test('an https URL is fetched; from a fetched file, paths resolve against its URL', () => {
    expect(locateInclude('https://test.com/x.yml', '/srv/overcast.yml')).toEqual({
      kind: 'https',
      url: 'https://test.com/x.yml',
    });
    expect(locateInclude('y.yml', 'https://test.com/dir/x.yml')).toEqual({
      kind: 'https',
      url: 'https://test.com/dir/y.yml',
    });
    expect(locateInclude('/etc/passwd', 'https://test.com/dir/x.yml')).toEqual({
      kind: 'https',
      url: 'https://test.com/etc/passwd',
    });
  });

  test('plain http and other schemes are refused', () => {
    expect(() => locateInclude('http://test.com/x.yml', '/srv/overcast.yml')).toThrow(/use https/);
    expect(() => locateInclude('file:///etc/passwd', '/srv/overcast.yml')).toThrow(/not supported/);
  });
});
