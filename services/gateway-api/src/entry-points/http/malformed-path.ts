import { AppError } from '@overcast/contracts';
import type { RequestHandler } from 'express';

const parameterSegment = /^\{([A-Za-z0-9_]+)\}$/;

function decodes(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

/**
 * Refuses a path with a segment that is not valid percent-encoded UTF-8 (`/instances/%E0%A4%A`, `/instances/%zz`)
 * with 400 naming the path parameter it would have been (`path.id`), or `path` when no operation's template matches.
 * Express's router throws a bare URIError while matching such a path, before any handler runs, which its error
 * handler could only answer 500.
 */
export function refuseMalformedPaths(templates: readonly string[]): RequestHandler {
  const templateSegments = templates.map((template) => template.split('/'));
  return (req, _res, next) => {
    // req.path is the raw pathname: nothing has decoded it yet.
    if (!req.path.includes('%')) return next();
    const segments = req.path.split('/');
    const bad = segments.findIndex((segment) => !decodes(segment));
    if (bad < 0) return next();
    const template = templateSegments.find(
      (candidate) =>
        candidate.length === segments.length &&
        candidate.every((part, index) => parameterSegment.test(part) || (index !== bad && part === segments[index])),
    );
    const name = parameterSegment.exec(template?.[bad] ?? '')?.[1];
    next(
      new AppError('bad_request', 'The request is invalid.', {
        details: [{ path: name ? `path.${name}` : 'path', message: 'is not valid percent-encoded UTF-8' }],
      }),
    );
  };
}
