import { Roles, type Role } from '@overcast/contracts';
import type { NewToken, StoredCredentials, TokenRecord, TokenRepository } from '../domain/ports';
import type { GatewayPrisma } from './prisma-client';

const publicFields = {
  id: true,
  tenantId: true,
  description: true,
  role: true,
  createdAt: true,
  revokedAt: true,
} as const;

// The role column is text; a value outside the closed set would be a bug, so it fails loudly here.
function withRole<T extends { role: string }>(row: T): T & { role: Role } {
  return { ...row, role: Roles.parse(row.role) };
}

export function createTokenRepository(prisma: GatewayPrisma): TokenRepository {
  return {
    async insertToken(token: NewToken): Promise<TokenRecord> {
      const row = await prisma.apiToken.create({
        data: {
          tenantId: token.tenantId,
          description: token.description,
          role: token.role,
          salt: new Uint8Array(token.salt),
          hash: new Uint8Array(token.hash),
        },
        select: publicFields,
      });
      return withRole(row);
    },

    async findTokenCredentials(id: number): Promise<StoredCredentials | null> {
      const row = await prisma.apiToken.findUnique({
        where: { id },
        select: { id: true, tenantId: true, role: true, salt: true, hash: true, revokedAt: true },
      });
      if (!row) return null;
      return withRole({ ...row, salt: Buffer.from(row.salt), hash: Buffer.from(row.hash) });
    },

    async listActiveTokens(tenantId: string, limit: number): Promise<TokenRecord[]> {
      const rows = await prisma.apiToken.findMany({
        where: { tenantId, revokedAt: null },
        orderBy: { id: 'desc' },
        take: limit,
        select: publicFields,
      });
      return rows.map(withRole);
    },

    async findToken(tenantId: string, id: number): Promise<TokenRecord | null> {
      const row = await prisma.apiToken.findFirst({ where: { id, tenantId }, select: publicFields });
      return row ? withRole(row) : null;
    },

    async revokeToken(tenantId: string, id: number, at: Date): Promise<TokenRecord | null> {
      await prisma.apiToken.updateMany({ where: { id, tenantId, revokedAt: null }, data: { revokedAt: at } });
      const row = await prisma.apiToken.findFirst({ where: { id, tenantId }, select: publicFields });
      return row ? withRole(row) : null;
    },

    async findRevokedSince(since: Date): Promise<{ id: number; revokedAt: Date }[]> {
      const rows = await prisma.apiToken.findMany({
        where: { revokedAt: { gt: since } },
        orderBy: { revokedAt: 'asc' },
        take: 1000,
        select: { id: true, revokedAt: true },
      });
      return rows.flatMap((row) => (row.revokedAt ? [{ id: row.id, revokedAt: row.revokedAt }] : []));
    },
  };
}
