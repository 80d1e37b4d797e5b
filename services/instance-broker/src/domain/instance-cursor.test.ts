import { AppError } from '@overcast/contracts';
import { decodeInstanceCursor, encodeInstanceCursor } from './instance-cursor';

describe('instance cursor', () => {
  it('reads back the position it encoded', () => {
    const position = { createdAt: new Date('2026-11-22T10:00:00.123Z'), id: '0d654ef4-75b9-49a6-9f90-f9b1ae3501fc' };
    expect(decodeInstanceCursor(encodeInstanceCursor(position))).toEqual(position);
  });

  it('refuses a cursor it did not make as a bad request naming the query parameter', () => {
    expect(() => decodeInstanceCursor('bm9wZQ')).toThrow(AppError);
    try {
      decodeInstanceCursor('bm9wZQ');
    } catch (error) {
      expect((error as AppError).code).toBe('bad_request');
      expect((error as AppError).details[0]?.path).toBe('query.cursor');
    }
  });
});
