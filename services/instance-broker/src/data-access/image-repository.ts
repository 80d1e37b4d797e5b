import { ImageState } from '@overcast/contracts';
import type { ImageRepository } from '../domain/ports';
import type { ImageRecord } from '../domain/records';
import type { Image as ImageRow, Prisma } from '../generated/prisma/client';
import type { BrokerPrismaExecutor } from './prisma-client';

export function toImageRecord(row: ImageRow): ImageRecord {
  return { ...row, state: ImageState.parse(row.state) };
}

export function createImageRepository(db: BrokerPrismaExecutor): ImageRepository {
  return {
    async insert(image) {
      return toImageRecord(await db.image.create({ data: image }));
    },

    async findForTenant(tenantId, id) {
      const row = await db.image.findFirst({ where: { id, tenantId } });
      return row ? toImageRecord(row) : null;
    },

    async findByProviderImage(tenantId, provider, imageId) {
      const row = await db.image.findUnique({ where: { tenantId_provider_imageId: { tenantId, provider, imageId } } });
      return row ? toImageRecord(row) : null;
    },

    async list(tenantId, filters) {
      const where: Prisma.ImageWhereInput = { tenantId };
      if (filters.active !== undefined) where.active = filters.active;
      if (filters.role !== undefined) where.role = filters.role;
      if (filters.provider !== undefined) where.provider = filters.provider;
      const rows = await db.image.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
      return rows.map(toImageRecord);
    },

    async findActive(tenantId, provider, role) {
      const row = await db.image.findFirst({ where: { tenantId, provider, role, active: true, state: 'available' } });
      return row ? toImageRecord(row) : null;
    },

    async activate(image) {
      // Deactivate first: the partial unique index allows one active image per (tenant, provider, role).
      await db.image.updateMany({
        where: {
          tenantId: image.tenantId,
          provider: image.provider,
          role: image.role,
          active: true,
          id: { not: image.id },
        },
        data: { active: false },
      });
      return toImageRecord(await db.image.update({ where: { id: image.id }, data: { active: true } }));
    },
  };
}
