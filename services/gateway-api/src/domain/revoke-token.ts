import { AppError } from '@overcast/contracts';
import type { TokenRecord, TokenRepository } from './ports';
import type { Principal } from './principal';
import type { TokenCache } from './token-cache';

export function createRevokeToken(deps: {
  tokens: Pick<TokenRepository, 'revokeToken' | 'findToken'>;
  cache: TokenCache;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  /**
   * Admins revoke any token of their tenant; anyone may revoke the token they call with. Another tenant's
   * id answers not_found, never forbidden (no existence leak). This replica forgets the token at once;
   * the others within their revocation poll (the cache TTL at worst).
   */
  return async function revokeToken(caller: Principal, tokenId: number): Promise<TokenRecord> {
    if (caller.role !== 'admin' && caller.tokenId !== tokenId) {
      const token = await deps.tokens.findToken(caller.tenantId, tokenId);
      if (!token) throw new AppError('not_found', `token ${tokenId} not found`);
      throw new AppError('forbidden', 'only admins may revoke other tokens');
    }
    const record = await deps.tokens.revokeToken(caller.tenantId, tokenId, now());
    if (!record) throw new AppError('not_found', `token ${tokenId} not found`);
    deps.cache.dropTokenId(tokenId);
    return record;
  };
}

export type RevokeToken = ReturnType<typeof createRevokeToken>;
