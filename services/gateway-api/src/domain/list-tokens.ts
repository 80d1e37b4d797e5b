import type { TokenRecord, TokenRepository } from './ports';
import type { Principal } from './principal';

// The spec's GET /tokens has no pagination; a tenant's live tokens beyond this many are not listed.
export const maxListedTokens = 1000;

/** Admins see every live token of their tenant, newest first; a developer sees only the token it calls with. */
export function createListTokens(deps: { tokens: Pick<TokenRepository, 'listActiveTokens' | 'findToken'> }) {
  return async function listTokens(caller: Principal): Promise<TokenRecord[]> {
    if (caller.role === 'admin') return deps.tokens.listActiveTokens(caller.tenantId, maxListedTokens);
    const own = await deps.tokens.findToken(caller.tenantId, caller.tokenId);
    return own && !own.revokedAt ? [own] : [];
  };
}

export type ListTokens = ReturnType<typeof createListTokens>;
