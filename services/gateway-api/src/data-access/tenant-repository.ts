import { randomUUID } from 'node:crypto';
import type { GatewayPrisma } from './prisma-client';

export interface TenantRecord {
  id: string;
  name: string;
  createdAt: Date;
}

export function createTenantRepository(prisma: GatewayPrisma) {
  return {
    /** The tenant named `name`, created on first use (admin CLI, GitHub organisations). */
    async findOrCreateTenantByName(name: string): Promise<TenantRecord> {
      return prisma.tenant.upsert({
        where: { name },
        create: { id: randomUUID(), name },
        update: {},
        select: { id: true, name: true, createdAt: true },
      });
    },

    async findTenantById(id: string): Promise<TenantRecord | null> {
      return prisma.tenant.findUnique({ where: { id }, select: { id: true, name: true, createdAt: true } });
    },
  };
}

export type TenantRepository = ReturnType<typeof createTenantRepository>;
