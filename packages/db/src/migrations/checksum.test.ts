import { migrationChecksum, scriptMatchesChecksum } from './checksum';

describe('migration checksums', () => {
  it('are the sha256 hex of the file, as Prisma stores them', () => {
    // printf 'CREATE TABLE "A" (id INT);\n' | sha256sum
    expect(migrationChecksum('CREATE TABLE "A" (id INT);\n')).toBe(
      '025ceeef7c7522d5c524f13be9b76b9663eff0245a8ebbfaef21ce3b4a133ec2',
    );
  });

  it('match a script whose line endings changed either way since it was applied', () => {
    const unix = 'CREATE TABLE "A" (id INT);\nCREATE TABLE "B" (id INT);\n';
    const windows = unix.replace(/\n/g, '\r\n');

    expect(scriptMatchesChecksum(windows, migrationChecksum(unix))).toBe(true);
    expect(scriptMatchesChecksum(unix, migrationChecksum(windows))).toBe(true);
  });

  it('do not match a script whose content changed', () => {
    const applied = 'CREATE TABLE "A" (id INT);\n';
    expect(scriptMatchesChecksum('CREATE TABLE "A" (id BIGINT);\n', migrationChecksum(applied))).toBe(false);
  });
});
