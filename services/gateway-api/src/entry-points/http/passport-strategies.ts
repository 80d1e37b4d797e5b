import { AppError } from '@overcast/contracts';
import type { Request } from 'express';
import type { Strategy } from 'passport';
import type { Principal } from '../../domain/principal';
import type { VerifyToken } from '../../domain/verify-token';
import { credentialsOf } from './credentials';

/** Who passed authentication: a tenant's token, or a build's init-script secret (checked later by the broker). */
export type Caller = { kind: 'token'; principal: Principal } | { kind: 'build-secret'; secret: string };

/** Why authentication failed; passed to the strategy's `fail` as the challenge. */
export interface AuthenticationFailure {
  missing: boolean;
  message: string;
}

const tokenStrategyName = 'overcast-token';
const buildSecretStrategyName = 'init-script-secret';

function failure(missing: boolean, message: string): AuthenticationFailure {
  return { missing, message };
}

/** API tokens in any of the four forms, verified by the domain (cache, failure budget, bounded scrypt). */
// One instance each: under a flood these answer thousands of requests a second, with no stack captured per request.
const verificationSaturated = new AppError('unavailable', 'token verification is saturated; retry shortly');
export const tooManyFailures = new AppError('rate_limited', 'too many failed authentications from this client');

export function createTokenStrategy(verifyToken: VerifyToken, clientOf: (req: Request) => string): Strategy {
  return {
    name: tokenStrategyName,
    authenticate(req) {
      const presented = credentialsOf(req);
      if (presented.kind === 'none') return this.fail(failure(true, 'authorization header required'), 401);
      if (presented.kind !== 'token') return this.fail(failure(false, 'invalid credentials'), 401);
      verifyToken(presented.token, clientOf(req)).then(
        (result) => {
          if (result.ok) return this.success({ kind: 'token', principal: result.principal } satisfies Caller);
          if (result.reason === 'invalid') return this.fail(failure(false, 'invalid token'), 401);
          req.res?.setHeader('Retry-After', String(result.retryAfterSeconds));
          return this.error(result.reason === 'busy' ? verificationSaturated : tooManyFailures);
        },
        (error: unknown) => this.error(error),
      );
    },
  };
}

/** Pudding's per-build Basic credentials; the secret is only forwarded (the broker holds its hash and expiry). */
export function createBuildSecretStrategy(): Strategy {
  return {
    name: buildSecretStrategyName,
    authenticate(req) {
      const presented = credentialsOf(req);
      if (presented.kind === 'build-secret') return this.success({ kind: 'build-secret', secret: presented.secret } satisfies Caller);
      return this.fail(failure(presented.kind === 'none', 'invalid credentials'), 401);
    },
  };
}
