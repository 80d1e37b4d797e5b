import { AppError, isAppError } from '@overcast/contracts';
import type { Request, Response } from 'express';
import type { SharedRateLimiter } from '../../../domain/rate-limiter';
import { failureKey } from '../../../domain/verify-token';
import { clientAddressOf } from '../client-address';
import { callerOf } from '../request-context';

export interface BuildCallerDeps {
  limiter: SharedRateLimiter;
  authFailuresPerClient: number;
}

/** Who the broker checks: a token's tenant, or the build's own secret. */
export type BuildCredentials = { tenantId: string } | { secret: string };

/**
 * Runs `act` as the request's caller on a build's routes (its init script, pudding's lifecycle callbacks): a person
 * with a token, or a booting instance with the build's Basic `x:<secret>`, which the broker checks against its hash
 * and expiry. A wrong secret counts against the client's failure budget like a wrong token, so secrets cannot be
 * guessed at scale.
 */
export async function actAsBuildCaller<T>(
  deps: BuildCallerDeps,
  req: Request,
  res: Response,
  act: (credentials: BuildCredentials) => Promise<T>,
): Promise<T> {
  const caller = callerOf(res);
  if (caller?.kind === 'token') return act({ tenantId: caller.principal.tenantId });
  if (caller?.kind !== 'build-secret') throw new AppError('unauthenticated', 'invalid credentials');
  const client = clientAddressOf(req);
  const budget = deps.limiter.peek(failureKey(client), deps.authFailuresPerClient);
  if (!budget.allowed) {
    res.setHeader('Retry-After', String(budget.resetSeconds));
    throw new AppError('rate_limited', 'too many failed authentications from this client');
  }
  try {
    return await act({ secret: caller.secret });
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') deps.limiter.record(failureKey(client));
    throw error;
  }
}
