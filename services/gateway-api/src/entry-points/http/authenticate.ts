import { AppError, type Role } from '@overcast/contracts';
import type { RequestHandler } from 'express';
import passport from 'passport';
import { roleAllows } from '../../domain/principal';
import type { VerifyToken } from '../../domain/verify-token';
import { clientAddressOf } from './client-address';
import {
  BuildSecretStrategy,
  buildSecretStrategyName,
  TokenStrategy,
  tokenStrategyName,
  type AuthenticationFailure,
  type Caller,
} from './passport-strategies';
import { setCaller } from './request-context';

/** What a route accepts. */
export type Access = { kind: 'public' } | { kind: 'token'; role: Role } | { kind: 'token-or-build-secret' };

// Sent with every 401 (by the app's error middleware, whichever layer refused): the schemes a client may retry with.
export const wwwAuthenticate = 'token, Bearer, Basic realm="overcast"';

function isFailure(value: unknown): value is AuthenticationFailure {
  return typeof value === 'object' && value !== null && 'missing' in value && 'message' in value;
}

/** The message of the most specific failure: "invalid" beats "missing" when several strategies ran. */
function failureMessage(challenges: unknown): string {
  const list = (Array.isArray(challenges) ? challenges : [challenges]).filter(isFailure);
  return (list.find((challenge) => !challenge.missing) ?? list[0])?.message ?? 'authorization header required';
}

/**
 * Authentication by passport, with this gateway's own authenticator (two gateways in one process never share
 * strategies), no sessions, and a custom callback so every refusal goes through the app's error middleware as the
 * envelope: missing or invalid credentials answer 401 (with WWW-Authenticate), a valid token without the route's
 * role answers 403, a verification refused for load or abuse its own error (503/429 with Retry-After).
 */
export function createAuthenticate(verifyToken: VerifyToken) {
  const authenticator = new passport.Passport();
  authenticator.use(new TokenStrategy(verifyToken, clientAddressOf));
  authenticator.use(new BuildSecretStrategy());
  const tokenOnly = [tokenStrategyName];
  const tokenOrBuildSecret = [tokenStrategyName, buildSecretStrategyName];

  return function authenticate(access: Access): RequestHandler {
    if (access.kind === 'public') return (_req, _res, next) => next();
    const strategies = access.kind === 'token' ? tokenOnly : tokenOrBuildSecret;
    return (req, res, next) => {
      // Passport's documented form for a custom callback: the middleware is built for the request it answers.
      const middleware: RequestHandler = authenticator.authenticate(
        strategies,
        { session: false },
        (error: unknown, caller: Caller | false | undefined, challenges: unknown) => {
          if (error) return next(error);
          if (!caller) return next(new AppError('unauthenticated', failureMessage(challenges)));
          if (access.kind === 'token' && caller.kind === 'token' && !roleAllows(caller.principal.role, access.role)) {
            return next(new AppError('forbidden', `this operation needs the ${access.role} role`));
          }
          setCaller(res, caller);
          next();
        },
      );
      middleware(req, res, next);
    };
  };
}

export type Authenticate = ReturnType<typeof createAuthenticate>;
