import type { Database } from '@overcast/db';
import type { InspectionStore } from '../domain/inspection/inspection-ports';
import type { Prisma } from '../generated/prisma/client';
import { createUsagePrisma } from './prisma-client';
import { findImageSources } from './image-sources';
import { updateImage } from './update-image';

/** Upload tickets and inspection results (the image inspector's `machine_images` and `inspection_uploads`). */
export function createInspectionStore(database: Database): InspectionStore & { close(): Promise<void> } {
  const prisma = createUsagePrisma(database);
  return {
    close: () => prisma.$disconnect(),
    async findImageToInspect(tenantId, id) {
      const row = await prisma.machineImage.findFirst({ where: { id, tenantId } });
      if (!row) return null;
      return {
        tenantId,
        id,
        cloudImageId: row.cloudImageId,
        platform: row.platform === 'windows' ? 'windows' : 'none',
        isEncrypted: row.isEncrypted,
        openshiftDetected: row.openshiftDetected,
      };
    },
    async createUploadTicket({ tenantId, imageId, tokenHash, expiresAt }) {
      const image = await prisma.machineImage.findFirst({ where: { id: imageId, tenantId }, select: { id: true } });
      if (!image) return false;
      // Expired tickets go as new ones come: there are at most a few per upload made.
      await prisma.inspectionUpload.deleteMany({ where: { expiresAt: { lt: new Date() } } });
      await prisma.inspectionUpload.create({ data: { tokenHash, tenantId, imageId, expiresAt } });
      return true;
    },
    async takeUploadTicket(tokenHash, now) {
      // Deleted whether expired or not: of two takers of one ticket, only the first gets its row back.
      const taken = await prisma.inspectionUpload.delete({ where: { tokenHash } }).catch((error: unknown) => {
        if ((error as { code?: unknown }).code === 'P2025') return null;
        throw error;
      });
      return taken && taken.expiresAt > now ? { tenantId: taken.tenantId, imageId: taken.imageId } : null;
    },
    async findDueAwsImages(now, limit) {
      const onAws = { instance: { account: { type: 'aws', accountArn: { not: null } } } };
      const rows = await prisma.machineImage.findMany({
        where: {
          // An image that needed an upload is read once an instance of a registered AWS account runs it.
          status: { in: ['pending', 'preparing', 'needs_upload'] },
          OR: [{ nextInspectionAt: null }, { nextInspectionAt: { lte: now } }],
          events: { some: onAws },
        },
        orderBy: [{ nextInspectionAt: { sort: 'asc', nulls: 'first' } }, { id: 'asc' }],
        take: limit,
        include: {
          // The region and account of an instance that ran it: where its snapshot is, and whose role reads it.
          events: { where: onAws, take: 1, include: { instance: { include: { account: true } } } },
        },
      });
      return rows.flatMap((row) => {
        const instance = row.events[0]?.instance;
        const { accountArn, awsAccountId } = instance?.account ?? {};
        if (!instance?.region || !accountArn || !awsAccountId) return [];
        return [
          {
            image: {
              tenantId: row.tenantId,
              id: row.id,
              cloudImageId: row.cloudImageId,
              platform: row.platform === 'windows' ? ('windows' as const) : ('none' as const),
              isEncrypted: row.isEncrypted,
              openshiftDetected: row.openshiftDetected,
            },
            accountArn,
            awsAccountId,
            region: instance.region,
            attempts: row.inspectionAttempts,
          },
        ];
      });
    },
    async recordInspectionFailure(tenantId, id, { attempts, reason, nextAttemptAt }) {
      await updateImage(prisma, tenantId, id, {
        status: nextAttemptAt === null ? 'error' : 'preparing',
        inspectionAttempts: attempts,
        inspectionError: reason,
        statusReason: null,
        nextInspectionAt: nextAttemptAt,
      });
    },
    async findUntriagedImages(limit) {
      const images = await prisma.machineImage.findMany({
        where: { status: 'pending', statusReason: null },
        orderBy: { id: 'asc' },
        take: limit,
        select: { id: true, tenantId: true, cloudImageId: true },
      });
      if (images.length === 0) return [];
      const sources = await findImageSources(
        prisma,
        database.schema,
        images.map((image) => image.id),
      );
      return images.map((image) => ({ ...image, sources: sources.get(image.id) ?? [] }));
    },
    async reopenTriage({ catalogImages, awaitingAws }) {
      const waiting = [
        ...(catalogImages.length > 0 ? [{ status: 'needs_upload', cloudImageId: { in: catalogImages } }] : []),
        // The only reason a pending image has: it waits for the AWS job.
        ...(awaitingAws ? [{ status: 'pending', statusReason: { not: null } }] : []),
      ];
      if (waiting.length === 0) return 0;
      const { count } = await prisma.machineImage.updateMany({
        where: { OR: waiting },
        data: { status: 'pending', statusReason: null, updatedAt: new Date() },
      });
      return count;
    },
    async recordTriage(tenantId, id, { status, reason }) {
      await updateImage(
        prisma,
        tenantId,
        id,
        { status, statusReason: reason },
        { status: 'pending', statusReason: null },
      );
    },
    recordInspection: (tenantId, id, { inspection, ...columns }) =>
      updateImage(prisma, tenantId, id, {
        ...columns,
        inspection: inspection as Prisma.InputJsonValue,
        inspectionAttempts: 0,
        inspectionError: null,
        statusReason: null,
        nextInspectionAt: null,
      }),
  };
}
