import type { OvercastClient, Token } from '@overcast/sdk';

/**
 * The token's own record: there is no "whoami" route, but `GET /tokens` answers a developer its own token and
 * an admin every token of the tenant, and a token's id is the part before its dash. A refused token throws.
 */
export async function findOwnToken(client: OvercastClient, token: string): Promise<Token | undefined> {
  const id = token.split('-')[0];
  return (await client.tokens.list()).find((candidate) => candidate.id === id);
}

export function describeToken(token: Token): string {
  return `token ${token.id} "${token.description}" (${token.role}, tenant ${token.tenant_id})`;
}
