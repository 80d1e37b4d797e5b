import { parseLvmMetadata } from './parse-lvm-metadata';

describe('LVM2 metadata text', () => {
  it('reads sections, numbers, strings with escapes, lists and comments', () => {
    const text =
      'rhel {\n  id = "a-b"  # the uuid\n  extent_size = 8192\n  status = ["READ", "WRITE"]\n' +
      '  logical_volumes {\n    root {\n      segment1 { stripes = [\n"pv0", 10\n] }\n    }\n  }\n}\n' +
      'contents = "Text Format Volume Group"\ndescription = "say \\"hi\\""\n';
    expect(parseLvmMetadata(text)).toEqual({
      rhel: {
        id: 'a-b',
        extent_size: 8192,
        status: ['READ', 'WRITE'],
        logical_volumes: { root: { segment1: { stripes: ['pv0', 10] } } },
      },
      contents: 'Text Format Volume Group',
      description: 'say "hi"',
    });
  });

  it('refuses what lvm never writes: unclosed sections, stray tokens, runaway nesting', () => {
    expect(() => parseLvmMetadata('vg {\n id = "x"\n')).toThrow('LVM: a section is never closed');
    expect(() => parseLvmMetadata('vg = = 3')).toThrow('LVM: unexpected "=" in the metadata');
    expect(() => parseLvmMetadata(`${'a { '.repeat(100)}${'} '.repeat(100)}`)).toThrow('deeper than any volume group');
    expect(() => parseLvmMetadata('x = [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]')).toThrow('LVM: unexpected "["');
    expect(() => parseLvmMetadata('vg { id = "x" ; }')).toThrow('LVM: cannot read the metadata at character 14');
  });
});
