import { AppError } from '@overcast/contracts';
import type { Request } from 'express';
import { Strategy } from 'passport-strategy';
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

export const tokenStrategyName = 'overcast-token';
export const buildSecretStrategyName = 'init-script-secret';

function failure(missing: boolean, message: string): AuthenticationFailure {
  return { missing, message };
}

// One instance each: under a flood these answer thousands of requests a second, with no stack captured per request.
const verificationSaturated = new AppError('unavailable', 'token verification is saturated; retry shortly');
export const tooManyFailures = new AppError('rate_limited', 'too many failed authentications from this client');

/**
 * API tokens in any of the four forms (`credentialsOf`), verified by the domain (cache, failure budget, bounded
 * scrypt). Passport runs `authenticate` on a per-request copy carrying `success`, `fail` and `error`.
 */
export class TokenStrategy extends Strategy {
  readonly name = tokenStrategyName;

  constructor(
    private readonly verifyToken: VerifyToken,
    private readonly clientOf: (req: Request) => string,
  ) {
    super();
  }

  override authenticate(req: Request): void {
    const presented = credentialsOf(req);
    if (presented.kind === 'none') return this.fail(failure(true, 'authorization header required'), 401);
    if (presented.kind !== 'token') return this.fail(failure(false, 'invalid credentials'), 401);
    this.verifyToken(presented.token, this.clientOf(req)).then(
      (result) => {
        if (result.ok) return this.success({ kind: 'token', principal: result.principal } satisfies Caller);
        if (result.reason === 'invalid') return this.fail(failure(false, 'invalid token'), 401);
        req.res?.setHeader('Retry-After', String(result.retryAfterSeconds));
        return this.error(result.reason === 'busy' ? verificationSaturated : tooManyFailures);
      },
      (error: unknown) => this.error(error instanceof Error ? error : new Error(String(error))),
    );
  }
}

/** Pudding's per-build Basic credentials; the secret is only forwarded (the broker holds its hash and expiry). */
export class BuildSecretStrategy extends Strategy {
  readonly name = buildSecretStrategyName;

  override authenticate(req: Request): void {
    const presented = credentialsOf(req);
    if (presented.kind === 'build-secret')
      return this.success({ kind: 'build-secret', secret: presented.secret } satisfies Caller);
    return this.fail(failure(presented.kind === 'none', 'invalid credentials'), 401);
  }
}
