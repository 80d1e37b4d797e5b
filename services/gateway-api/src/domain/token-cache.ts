import { hash, randomBytes } from 'node:crypto';
import type { Principal } from './principal';

export interface TokenCacheOptions {
  /** How long a verified token is trusted without looking at the database again. */
  verifiedTtlMs: number;
  /** How long a token that failed stays refused without any work. */
  failedTtlMs: number;
  /** Bounds memory under a flood of distinct tokens; the oldest entries go first. */
  maxEntries: number;
  now?: () => number;
}

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/** A token whose secret scrypt once matched against this stored hash. */
interface Proof {
  tokenId: number;
  hash: Buffer;
}

/**
 * Verified and recently failed tokens, keyed by a hash of the token under a per-process random prefix:
 * the raw token never sits in memory as a map key, and the key cannot be precomputed by anyone else.
 * A verified token is trusted for `verifiedTtlMs`; after that its row is read again (revocation), but scrypt
 * need not run again while the row keeps the hash it matched (`isProven`): a token's secret cannot change.
 */
export class TokenCache {
  // SHA-256 of a per-process random prefix and the token, with the one-shot `hash` (cheaper than an HMAC object per
  // request: bench/README.md). Length extension, the reason a MAC would be HMAC, is moot: these keys never leave
  // the process.
  private readonly keyPrefix = randomBytes(32).toString('hex');
  private readonly verified = new Map<string, Entry<Principal>>();
  private readonly failed = new Map<string, Entry<true>>();
  private readonly proven = new Map<string, Entry<Proof>>();
  private readonly keysByTokenId = new Map<number, Set<string>>();
  private readonly now: () => number;

  constructor(private readonly options: TokenCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  keyOf(token: string): string {
    return hash('sha256', this.keyPrefix + token, 'base64url');
  }

  findVerified(key: string): Principal | undefined {
    const entry = this.verified.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > this.now()) return entry.value;
    this.forgetVerified(key, entry.value.tokenId);
    return undefined;
  }

  /** `hash` is the stored hash the token matched (or was proven against). */
  rememberVerified(key: string, principal: Principal, hash: Buffer): void {
    this.failed.delete(key);
    this.verified.delete(key);
    this.verified.set(key, { value: principal, expiresAt: this.now() + this.options.verifiedTtlMs });
    this.proven.delete(key);
    this.proven.set(key, { value: { tokenId: principal.tokenId, hash }, expiresAt: Number.POSITIVE_INFINITY });
    this.evictOldest(this.proven, (evicted, entry) => {
      this.proven.delete(evicted);
      this.forgetKeyOfTokenId(evicted, entry.value.tokenId);
    });
    let keys = this.keysByTokenId.get(principal.tokenId);
    if (!keys) this.keysByTokenId.set(principal.tokenId, (keys = new Set()));
    keys.add(key);
    this.evictOldest(this.verified, (evicted, entry) => this.forgetVerified(evicted, entry.value.tokenId));
  }

  hasProof(key: string): boolean {
    return this.proven.has(key);
  }

  /** Whether this token once matched this token id's stored hash, which the row still has. */
  isProven(key: string, tokenId: number, hash: Buffer): boolean {
    const proof = this.proven.get(key)?.value;
    return proof !== undefined && proof.tokenId === tokenId && proof.hash.equals(hash);
  }

  hasFailedRecently(key: string): boolean {
    const entry = this.failed.get(key);
    if (!entry) return false;
    if (entry.expiresAt > this.now()) return true;
    this.failed.delete(key);
    return false;
  }

  rememberFailed(key: string): void {
    this.failed.delete(key);
    this.failed.set(key, { value: true, expiresAt: this.now() + this.options.failedTtlMs });
    this.evictOldest(this.failed, (evicted) => this.failed.delete(evicted));
  }

  /** A revoked token must stop working at once on this replica. */
  dropTokenId(tokenId: number): void {
    for (const key of this.keysByTokenId.get(tokenId) ?? []) {
      this.verified.delete(key);
      this.proven.delete(key);
    }
    this.keysByTokenId.delete(tokenId);
  }

  private forgetVerified(key: string, tokenId: number): void {
    this.verified.delete(key);
    this.forgetKeyOfTokenId(key, tokenId);
  }

  /** Once neither a verified entry nor a proof is kept under `key`, revoking its token has nothing to drop there. */
  private forgetKeyOfTokenId(key: string, tokenId: number): void {
    if (this.verified.has(key) || this.proven.has(key)) return;
    const keys = this.keysByTokenId.get(tokenId);
    keys?.delete(key);
    if (keys?.size === 0) this.keysByTokenId.delete(tokenId);
  }

  // Maps iterate in insertion order and entries are re-inserted when refreshed, so the first is the oldest.
  private evictOldest<T>(map: Map<string, Entry<T>>, evict: (key: string, entry: Entry<T>) => void): void {
    while (map.size > this.options.maxEntries) {
      const first = map.entries().next().value;
      if (!first) return;
      evict(first[0], first[1]);
    }
  }
}
