import type { Role } from '@overcast/contracts';

// What the gateway's use cases need from the world, named here so the domain imports nothing from data-access/:
// data-access/ implements these (Prisma, GitHub's REST API) and service.ts hands the implementations in.

/** A token as shown to its tenant: never the salt or the hash. */
export interface TokenRecord {
  id: number;
  tenantId: string;
  description: string;
  role: Role;
  createdAt: Date;
  revokedAt: Date | null;
}

/** What verifying a presented token needs of its row: who it is and the salted scrypt hash to compare. */
export interface StoredCredentials {
  id: number;
  tenantId: string;
  role: Role;
  salt: Buffer;
  hash: Buffer;
  revokedAt: Date | null;
}

/** A token to store: what its tenant sees (less what the database assigns) and its salted hash. */
export type NewToken = Pick<TokenRecord, 'tenantId' | 'description' | 'role'> &
  Pick<StoredCredentials, 'salt' | 'hash'>;

export interface TokenRepository {
  insertToken(token: NewToken): Promise<TokenRecord>;
  findTokenCredentials(id: number): Promise<StoredCredentials | null>;
  /** One tenant's live (unrevoked) tokens, newest first. */
  listActiveTokens(tenantId: string, limit: number): Promise<TokenRecord[]>;
  findToken(tenantId: string, id: number): Promise<TokenRecord | null>;
  /** Marks the token revoked once; a second revoke keeps the first time. Null when the tenant has no such token. */
  revokeToken(tenantId: string, id: number, at: Date): Promise<TokenRecord | null>;
  /** Tokens revoked after `since` (by any replica), for dropping them from every replica's cache. */
  findRevokedSince(since: Date): Promise<{ id: number; revokedAt: Date }[]>;
}

export interface TenantRecord {
  id: string;
  name: string;
  createdAt: Date;
}

export interface TenantRepository {
  /** The tenant named `name`, created on first use (admin CLI, GitHub organisations); safe under concurrent calls. */
  findOrCreateTenantByName(name: string): Promise<TenantRecord>;
  findTenantById(id: string): Promise<TenantRecord | null>;
}

export interface GitHubUser {
  login: string;
}

export interface GitHubTeam {
  name: string;
  slug: string;
  organization: { login: string };
}

/** The two GitHub calls a login makes, with the user's own token; failures are AppErrors (unauthenticated, unavailable). */
export interface GitHubApi {
  getUser(token: string): Promise<GitHubUser>;
  listTeams(token: string): Promise<GitHubTeam[]>;
}
