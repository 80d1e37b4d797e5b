import type { HttpMethod } from '@overcast/api-spec';
import type { ErrorDetail } from '@overcast/contracts';
import type { Request, Response } from 'express';

/** One operation of the spec as the gateway serves it; handlers stay thin (parse, one call, map). */
export interface RouteDefinition {
  method: HttpMethod;
  /** The spec's path template, e.g. `/instances/{id}`. */
  path: string;
  /** Probes and metrics are not rate-limited: a scraper must never see 429. */
  unlimited?: boolean;
  /** Rewords validation problems where a legacy client expects the original's messages. */
  rewordValidation?: (detail: ErrorDetail) => ErrorDetail;
  handle(req: Request, res: Response): Promise<void> | void;
}

/** `/instances/{id}` → `/instances/:id` (express 5 / path-to-regexp syntax). */
export function expressPathOf(template: string): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}
