import { AppError } from '@overcast/contracts';
import { isUuid } from './not-found';
import type { InstancePosition } from './ports';

/** Opaque to clients: base64url of `<created_at ISO>|<id>`, the last row of the previous page. */
export function encodeInstanceCursor(position: InstancePosition): string {
  return Buffer.from(`${position.createdAt.toISOString()}|${position.id}`, 'utf8').toString('base64url');
}

export function decodeInstanceCursor(cursor: string): InstancePosition {
  const [timestamp, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(timestamp ?? '');
  if (extra !== undefined || id === undefined || !isUuid(id) || Number.isNaN(createdAt.getTime())) {
    throw new AppError('bad_request', 'invalid cursor', {
      details: [{ path: 'query.cursor', message: 'is not a cursor this API returned' }],
    });
  }
  return { createdAt, id };
}
