import { AppError } from '@overcast/contracts';
import type { RequestHandler } from 'express';
import type { SharedRateLimiter } from '../../domain/rate-limiter';
import { clientAddressOf } from './client-address';
import { callerOf } from './request-context';

export interface RateLimitOptions {
  perTenant: number;
  perAnonymousClient: number;
}

/**
 * After authentication: a token's requests count against its tenant (a tenant cannot escape its limit by
 * minting more tokens); everything else against the client address. Answers 429 with Retry-After.
 */
export function rateLimit(limiter: SharedRateLimiter, options: RateLimitOptions): RequestHandler {
  return (req, res, next) => {
    const caller = callerOf(res);
    const decision =
      caller?.kind === 'token'
        ? limiter.consume(`tenant:${caller.principal.tenantId}`, options.perTenant)
        : limiter.consume(`client:${clientAddressOf(req)}`, options.perAnonymousClient);
    res.setHeader('RateLimit-Limit', String(decision.limit));
    res.setHeader('RateLimit-Remaining', String(decision.remaining));
    res.setHeader('RateLimit-Reset', String(decision.resetSeconds));
    if (decision.allowed) return next();
    res.setHeader('Retry-After', String(decision.resetSeconds));
    next(
      new AppError(
        'rate_limited',
        `rate limit of ${decision.limit} requests per window exceeded; retry after ${decision.resetSeconds} s`,
      ),
    );
  };
}
