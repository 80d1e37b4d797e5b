import type { Principal } from './principal';
import type { StoredCredentials, TokenRepository } from './ports';
import type { SharedRateLimiter } from './rate-limiter';
import { GateRefused, type ScryptGate } from './scrypt-gate';
import type { TokenCache } from './token-cache';
import { parseToken } from './token-format';
import { secretMatches } from './token-hashing';

export type VerifyTokenResult =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'invalid' }
  /** The client failed too often (or has too many verifications in flight): refused before any scrypt work. */
  | { ok: false; reason: 'too_many_failures'; retryAfterSeconds: number }
  /** Verification capacity is exhausted right now; the token was not judged. */
  | { ok: false; reason: 'busy'; retryAfterSeconds: number };

export interface VerifyTokenDeps {
  tokens: Pick<TokenRepository, 'findTokenCredentials'>;
  cache: TokenCache;
  gate: ScryptGate;
  limiter: SharedRateLimiter;
  /** Failed verifications one client address may cause per rate-limit window, over all replicas. */
  failuresPerClient: number;
  /** Told how each verification ended (metrics). */
  onOutcome?: (outcome: VerificationOutcome) => void;
}

/**
 * Where a verification ended; `matched`/`mismatched` are the only ones that paid for scrypt (`reverified`: the
 * row was read again after the cache TTL and still holds the hash this token matched before).
 */
export type VerificationOutcome =
  | 'cached'
  | 'reverified'
  | 'over_budget'
  | 'failed_recently'
  | 'refused_before_scrypt'
  | 'gate_refused'
  | 'matched'
  | 'mismatched';

/**
 * Whether a client address used up its failure budget: the seconds until it may try again, or undefined.
 * The cheapest refusal there is (one map lookup), so it runs before anything looks at the token.
 */
export function createCheckFailureBudget(deps: Pick<VerifyTokenDeps, 'limiter' | 'failuresPerClient' | 'onOutcome'>) {
  const { limiter, failuresPerClient, onOutcome } = deps;
  return function overFailureBudget(client: string): number | undefined {
    const budget = limiter.peek(failureKey(client), failuresPerClient);
    if (budget.allowed) return undefined;
    onOutcome?.('over_budget');
    return budget.resetSeconds;
  };
}

export type CheckFailureBudget = ReturnType<typeof createCheckFailureBudget>;

/**
 * Verify a presented token. Order matters for a flood of bad tokens: the client's failure budget first
 * (an abusive address costs one map lookup, even with a valid token: it may not probe any more; the gateway
 * asks it at its front door, before express, so it is not asked again here), then cached answers
 * (valid tokens stay fast), the token's shape and the stored row (unknown or revoked ids are refused without
 * scrypt), and only then scrypt, behind a gate that reserves the failure allowance before it runs and shares it
 * out per client address and per token id.
 */
export function createVerifyToken(deps: VerifyTokenDeps) {
  const inFlight = new Map<string, Promise<VerifyTokenResult>>();

  async function verifyUncached(key: string, raw: string, client: string): Promise<VerifyTokenResult> {
    const parsed = parseToken(raw);
    if (!parsed) return fail(key, client, 'refused_before_scrypt');
    // A gate that would refuse anyway is asked before the database round trip, not after it; a token proven
    // before needs no scrypt, so no gate.
    const early = deps.cache.hasProof(key) ? undefined : deps.gate.refusalFor({ client, tokenId: parsed.id });
    if (early) return gateRefused(client, early);
    const stored = await deps.tokens.findTokenCredentials(parsed.id);
    if (!stored || stored.revokedAt) return fail(key, client, 'refused_before_scrypt');
    if (deps.cache.isProven(key, stored.id, stored.hash)) return verified(key, stored, 'reverified');
    // Verifications of this client already in flight may all fail: they count against its budget, so a
    // burst of concurrent wrong secrets cannot buy more scrypt runs than the budget allows.
    const budget = deps.limiter.peek(failureKey(client), deps.failuresPerClient - deps.gate.heldBy(client));
    if (!budget.allowed) {
      outcome('over_budget');
      return { ok: false, reason: 'too_many_failures', retryAfterSeconds: budget.resetSeconds };
    }
    let matches: boolean;
    try {
      matches = await deps.gate.run({ client, tokenId: stored.id }, () =>
        secretMatches(parsed.secretHex, stored.salt, stored.hash),
      );
    } catch (error) {
      if (!(error instanceof GateRefused)) throw error;
      return gateRefused(client, error);
    }
    if (!matches) return fail(key, client, 'mismatched');
    return verified(key, stored, 'matched');
  }

  function verified(key: string, stored: StoredCredentials, why: VerificationOutcome): VerifyTokenResult {
    outcome(why);
    const principal: Principal = { tokenId: stored.id, tenantId: stored.tenantId, role: stored.role };
    deps.cache.rememberVerified(key, principal, stored.hash);
    return { ok: true, principal };
  }

  const outcome = (value: VerificationOutcome) => deps.onOutcome?.(value);

  // A refused verification counts against the client's failure budget: a client that keeps presenting unproven
  // tokens while verification is saturated soon gets the cheapest answer (429 before anything else). The token was
  // not judged, so nothing is remembered about it: it may be valid, and its retry is verified like a first try.
  function gateRefused(client: string, refusal: GateRefused): VerifyTokenResult {
    outcome('gate_refused');
    deps.limiter.record(failureKey(client));
    const { retryAfterSeconds } = refusal;
    return refusal.reason === 'busy'
      ? { ok: false, reason: 'busy', retryAfterSeconds }
      : { ok: false, reason: 'too_many_failures', retryAfterSeconds };
  }

  function fail(key: string, client: string, why: VerificationOutcome): VerifyTokenResult {
    outcome(why);
    deps.cache.rememberFailed(key);
    deps.limiter.record(failureKey(client));
    return { ok: false, reason: 'invalid' };
  }

  return async function verifyToken(raw: string, client: string): Promise<VerifyTokenResult> {
    const key = deps.cache.keyOf(raw);
    const principal = deps.cache.findVerified(key);
    if (principal) {
      outcome('cached');
      return { ok: true, principal };
    }
    if (deps.cache.hasFailedRecently(key)) return fail(key, client, 'failed_recently');
    // Concurrent requests with the same new token share one verification.
    const pending = inFlight.get(key);
    if (pending) return pending;
    const verification = verifyUncached(key, raw, client).finally(() => inFlight.delete(key));
    inFlight.set(key, verification);
    return verification;
  };
}

export type VerifyToken = ReturnType<typeof createVerifyToken>;

export function failureKey(client: string): string {
  return `auth-failure:${client}`;
}
