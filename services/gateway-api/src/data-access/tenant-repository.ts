import { randomUUID } from 'node:crypto';
import type { TenantRecord, TenantRepository } from '../domain/ports';
import type { GatewayPrisma } from './prisma-client';

export function createTenantRepository(prisma: GatewayPrisma): TenantRepository {
  return {
    /**
     * The tenant named `name`, created on first use (admin CLI, GitHub organisations). Insert-or-nothing
     * then read, because concurrent first logins of one organisation race (a plain upsert would fail one).
     */
    async findOrCreateTenantByName(name: string): Promise<TenantRecord> {
      await prisma.tenant.createMany({ data: [{ id: randomUUID(), name }], skipDuplicates: true });
      return prisma.tenant.findUniqueOrThrow({ where: { name }, select: { id: true, name: true, createdAt: true } });
    },

    async findTenantById(id: string): Promise<TenantRecord | null> {
      return prisma.tenant.findUnique({ where: { id }, select: { id: true, name: true, createdAt: true } });
    },
  };
}
