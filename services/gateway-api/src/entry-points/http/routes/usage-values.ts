import { AppError } from '@overcast/contracts';
import type { Request } from 'express';

/** cloudigrade's ids are integers; any other path id matches no resource (its URL patterns took digits only). */
export function usageIdOf(value: unknown): number {
  const text = String(value);
  const id = /^[1-9]\d{0,9}$/.test(text) ? Number(text) : NaN;
  // Ids are Postgres integers: a larger number names nothing.
  if (!(id <= 2_147_483_647)) throw new AppError('not_found', 'Not found.');
  return id;
}

/**
 * A report bound as the service takes it (ISO 8601 with its offset, UTC); the spec checked the format, and a date
 * without an offset is UTC as Django read it with USE_TZ.
 */
export function reportInstantOf(value: string, field: 'start' | 'end'): string {
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const instant = new Date(hasOffset ? value : `${value}Z`);
  if (Number.isNaN(instant.getTime())) {
    throw new AppError('bad_request', 'The request is invalid.', {
      details: [{ path: `query.${field}`, message: 'Datetime has wrong format.' }],
    });
  }
  return instant.toISOString();
}

/** DRF's LimitOffsetPagination links: the request's own URL with `offset` moved (none on the first page). */
export function pageLinks(
  req: Request,
  publicUrl: string,
  page: { count: number; limit: number; offset: number },
): { next: string | null; previous: string | null } {
  const url = new URL(req.originalUrl, `${publicUrl.replace(/\/+$/, '')}/`);
  const at = (offset: number) => {
    const link = new URL(url);
    link.searchParams.set('limit', String(page.limit));
    if (offset > 0) link.searchParams.set('offset', String(offset));
    else link.searchParams.delete('offset');
    return link.toString();
  };
  const { count, limit, offset } = page;
  return {
    next: offset + limit < count ? at(offset + limit) : null,
    previous: offset > 0 ? at(Math.max(offset - limit, 0)) : null,
  };
}
