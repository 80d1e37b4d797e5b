import { formatCell, formatDetails, formatTable } from './format';

describe('output formatting', () => {
  it('shows missing values as a dash and timestamps without milliseconds', () => {
    expect([null, undefined, '', []].map(formatCell)).toEqual(['-', '-', '-', '-']);
    expect(formatCell('2026-11-22T10:00:00.123Z')).toBe('2026-11-22 10:00:00Z');
    expect(formatCell(['a', 'b'])).toBe('a, b');
    expect(formatCell({ database: true })).toBe('{"database":true}');
  });

  it('aligns table columns to their widest cell and trims trailing spaces', () => {
    const rows = [
      { name: 'web', state: 'running' },
      { name: 'database-primary', state: null },
    ];
    const table = formatTable(
      [
        { header: 'NAME', value: (row: (typeof rows)[number]) => row.name },
        { header: 'STATE', value: (row) => row.state },
      ],
      rows,
    );
    expect(table).toBe('NAME              STATE\nweb               running\ndatabase-primary  -\n');
  });

  it('aligns detail labels', () => {
    expect(
      formatDetails([
        ['id', 'x'],
        ['instance type', 'standard'],
      ]),
    ).toBe('id             x\ninstance type  standard\n');
  });
});
