import { AppError, type Role } from '@overcast/contracts';
import type { RequestHandler } from 'express';
import { roleAllows } from '../../domain/principal';
import type { VerifyToken } from '../../domain/verify-token';
import { clientAddressOf } from './client-address';
import { createBuildSecretStrategy, createTokenStrategy, type AuthenticationFailure, type Caller } from './passport-strategies';
import { setCaller } from './request-context';
import { runStrategies } from './run-strategies';

/** What a route accepts. */
export type Access = { kind: 'public' } | { kind: 'token'; role: Role } | { kind: 'token-or-build-secret' };

// Sent with every 401 (by the app's error middleware, whichever layer refused): the schemes a client may retry with.
export const wwwAuthenticate = 'token, Bearer, Basic realm="overcast"';

function isFailure(value: unknown): value is AuthenticationFailure {
  return typeof value === 'object' && value !== null && 'missing' in value && 'message' in value;
}

/** The message of the most specific failure: "invalid" beats "missing" when several strategies ran. */
function failureMessage(challenges: unknown[]): string {
  const list = challenges.filter(isFailure);
  return (list.find((challenge) => !challenge.missing) ?? list[0])?.message ?? 'authorization header required';
}

/**
 * Authentication as passport strategies of this gateway only (two gateways in one process never share them), run
 * by `runStrategies`. Missing or invalid credentials answer 401 with WWW-Authenticate; a valid token without the
 * route's role answers 403.
 */
export function createAuthenticate(verifyToken: VerifyToken) {
  const token = createTokenStrategy(verifyToken, clientAddressOf);
  const tokenOrBuildSecret = [token, createBuildSecretStrategy()];

  return function authenticate(access: Access): RequestHandler {
    if (access.kind === 'public') return (_req, _res, next) => next();
    const strategies = access.kind === 'token' ? [token] : tokenOrBuildSecret;
    return (req, res, next) => {
      runStrategies(strategies, req, (error, user, challenges) => {
        if (error) return next(error);
        if (!user) {
          return next(new AppError('unauthenticated', failureMessage(challenges)));
        }
        const caller = user as Caller;
        if (access.kind === 'token' && caller.kind === 'token' && !roleAllows(caller.principal.role, access.role)) {
          return next(new AppError('forbidden', `this operation needs the ${access.role} role`));
        }
        setCaller(res, caller);
        next();
      });
    };
  };
}

export type Authenticate = ReturnType<typeof createAuthenticate>;
