import { AppError, type Role } from '@overcast/contracts';
import { createGatewayPrisma, type GatewayDatabase } from '../data-access/prisma-client';
import { createTenantRepository } from '../data-access/tenant-repository';
import { createTokenRepository } from '../data-access/token-repository';
import type { TokenRecord } from '../domain/ports';
import { createCreateToken, type CreatedToken } from '../domain/create-token';
import { maxTokenId } from '../domain/token-format';

export const defaultTenantName = 'default';

/**
 * Operator actions straight on the gateway's database, with no API and no token: `overcast-admin` and the
 * standalone runner's first admin token. Other replicas drop a revoked token within their cache TTL.
 */
export function createGatewayAdmin(database: GatewayDatabase) {
  const prisma = createGatewayPrisma(database);
  const tokens = createTokenRepository(prisma);
  const tenants = createTenantRepository(prisma);
  const createToken = createCreateToken({ tokens });

  return {
    async createToken(input: {
      description: string;
      role: Role;
      tenantName?: string;
    }): Promise<CreatedToken & { tenantName: string }> {
      const tenant = await tenants.findOrCreateTenantByName(input.tenantName ?? defaultTenantName);
      const created = await createToken({ tenantId: tenant.id, description: input.description, role: input.role });
      return { ...created, tenantName: tenant.name };
    },

    async listTokens(tenantName: string = defaultTenantName): Promise<TokenRecord[]> {
      const tenant = await tenants.findOrCreateTenantByName(tenantName);
      return tokens.listActiveTokens(tenant.id, 10_000);
    },

    async revokeToken(id: number): Promise<void> {
      const credentials = id >= 1 && id <= maxTokenId ? await tokens.findTokenCredentials(id) : null;
      if (!credentials) throw new AppError('not_found', `token ${id} not found`);
      await tokens.revokeToken(credentials.tenantId, id, new Date());
    },

    close: () => prisma.$disconnect(),
  };
}

export type GatewayAdmin = ReturnType<typeof createGatewayAdmin>;
