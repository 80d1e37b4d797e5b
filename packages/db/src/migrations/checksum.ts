import { createHash } from 'node:crypto';

/** What Prisma stores in `_prisma_migrations.checksum`: sha256 of the file's bytes, lower-case hex. */
export function migrationChecksum(script: string): string {
  return createHash('sha256').update(script, 'utf8').digest('hex');
}

/**
 * Prisma accepts a script whose line endings git converted (LF ⇄ CRLF) since it was applied;
 * so do we, or a checkout on another OS would refuse to start.
 */
export function scriptMatchesChecksum(script: string, checksum: string): boolean {
  const asLf = script.replace(/\r\n/g, '\n');
  const asCrLf = asLf.replace(/\n/g, '\r\n');
  return [script, asLf, asCrLf].some((variant) => migrationChecksum(variant) === checksum);
}
