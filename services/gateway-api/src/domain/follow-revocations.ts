import type { TokenRepository } from './ports';
import type { TokenCache } from './token-cache';

/**
 * Drops tokens revoked on any replica from this replica's cache. Polled with the rate-limit sync, so a
 * revocation takes effect everywhere within a few hundred ms (the cache TTL bounds it if polling fails).
 * It re-reads a margin behind the newest revocation seen: revocations committed out of order are not missed.
 */
export function createFollowRevocations(deps: {
  tokens: Pick<TokenRepository, 'findRevokedSince'>;
  cache: TokenCache;
  marginMs: number;
  now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  let newestSeen = now();

  return async function followRevocations(): Promise<number> {
    const revoked = await deps.tokens.findRevokedSince(new Date(newestSeen - deps.marginMs));
    for (const token of revoked) {
      deps.cache.dropTokenId(token.id);
      newestSeen = Math.max(newestSeen, token.revokedAt.getTime());
    }
    return revoked.length;
  };
}
