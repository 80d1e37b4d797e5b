import { inTransaction, type Database } from '@overcast/db';
import { AccountConflict, type OffsetPage, type UsageStore } from '../domain/ports';
import { createUsagePrisma } from './prisma-client';
import { accountActivityLock, tenantImagesLock } from './in-transaction';
import { recordActivity } from './record-activity';
import { recordDiscovery } from './record-discovery';
import { queryAccountCounts, queryDailyUsage, queryImageUsage } from './report-queries';
import { toCloudAccount, toMachineImage, toPowerEvent, toTrackedInstance } from './rows';
import { updateImage } from './update-image';

function uniqueViolationOf(error: unknown): string | null {
  const { code, meta } = error as { code?: unknown; meta?: { target?: unknown; driverAdapterError?: unknown } };
  if (code !== 'P2002') return null;
  return JSON.stringify(meta ?? {});
}

const withAccountType = { account: { select: { type: true } } } as const;
const oldestFirst = [{ createdAt: 'asc' as const }, { id: 'asc' as const }];
const pageOf = ({ limit, offset }: OffsetPage) => ({ take: limit, skip: offset, orderBy: oldestFirst });
/**
 * A page and the count beside it are read in one snapshot (a repeatable-read transaction): read apart, a row
 * committed between the two reads showed `count: 2` beside one result.
 */
const oneSnapshot = { isolationLevel: 'RepeatableRead' } as const;

export function createUsageStore(database: Database): UsageStore {
  const prisma = createUsagePrisma(database);
  const { schema } = database;
  const now = () => new Date();

  return {
    async ping() {
      await prisma.$queryRaw`SELECT 1`;
    },
    close: () => prisma.$disconnect(),

    async insertAccount(account) {
      try {
        return toCloudAccount(await prisma.cloudAccount.create({ data: account }));
      } catch (error) {
        const violation = uniqueViolationOf(error);
        if (violation === null) throw error;
        throw new AccountConflict(violation.includes('account_arn') ? 'arn' : 'name');
      }
    },
    async listAccounts(tenantId, page) {
      const where = { tenantId };
      const [count, rows] = await prisma.$transaction(
        [prisma.cloudAccount.count({ where }), prisma.cloudAccount.findMany({ where, ...pageOf(page) })],
        oneSnapshot,
      );
      return { count, results: rows.map(toCloudAccount) };
    },
    async findAccount(tenantId, id) {
      const row = await prisma.cloudAccount.findFirst({ where: { id, tenantId } });
      return row ? toCloudAccount(row) : null;
    },
    async findAccountsByAwsAccountId(awsAccountId) {
      const rows = await prisma.cloudAccount.findMany({ where: { awsAccountId, type: 'aws' } });
      return rows.map((row) => ({ ...toCloudAccount(row), tenantId: row.tenantId }));
    },
    async renameAccount(tenantId, id, name) {
      try {
        const { count } = await prisma.cloudAccount.updateMany({
          where: { id, tenantId },
          data: { name, updatedAt: now() },
        });
        if (count === 0) return null;
      } catch (error) {
        if (uniqueViolationOf(error) !== null) throw new AccountConflict('name');
        throw error;
      }
      return this.findAccount(tenantId, id);
    },
    async filterAccounts(tenantId, { accountId, words }) {
      const rows = await prisma.cloudAccount.findMany({
        where: {
          tenantId,
          ...(accountId === undefined ? {} : { id: accountId }),
          ...(words.length === 0
            ? {}
            : { OR: words.map((word) => ({ name: { contains: word, mode: 'insensitive' as const } })) }),
        },
        orderBy: oldestFirst,
      });
      return rows.map(toCloudAccount);
    },

    async listInstances(tenantId, page) {
      const where = { tenantId };
      const [count, rows] = await prisma.$transaction(
        [
          prisma.trackedInstance.count({ where }),
          prisma.trackedInstance.findMany({ where, include: withAccountType, ...pageOf(page) }),
        ],
        oneSnapshot,
      );
      return { count, results: rows.map(toTrackedInstance) };
    },
    async findInstance(tenantId, id) {
      const row = await prisma.trackedInstance.findFirst({ where: { id, tenantId }, include: withAccountType });
      return row ? toTrackedInstance(row) : null;
    },
    async listEvents(tenantId, { instanceId, ...page }) {
      const where = { tenantId, ...(instanceId === undefined ? {} : { instanceId }) };
      const [count, rows] = await prisma.$transaction(
        [prisma.powerEvent.count({ where }), prisma.powerEvent.findMany({ where, ...pageOf(page) })],
        oneSnapshot,
      );
      return { count, results: rows.map(toPowerEvent) };
    },
    async findEvent(tenantId, id) {
      const row = await prisma.powerEvent.findFirst({ where: { id, tenantId } });
      return row ? toPowerEvent(row) : null;
    },
    async listImages(tenantId, page) {
      const where = { tenantId };
      const [count, rows] = await prisma.$transaction(
        [prisma.machineImage.count({ where }), prisma.machineImage.findMany({ where, ...pageOf(page) })],
        oneSnapshot,
      );
      return { count, results: rows.map(toMachineImage) };
    },
    async findImage(tenantId, id) {
      const row = await prisma.machineImage.findFirst({ where: { id, tenantId } });
      return row ? toMachineImage(row) : null;
    },
    challengeImage: (tenantId, id, challenge) => updateImage(prisma, tenantId, id, challenge),

    recordDiscovery: (tenantId, accountId, discovery) =>
      inTransaction(database.pool, (client) => recordDiscovery(client, schema, tenantId, accountId, discovery)),

    recordActivity: (tenantId, accountId, batches) =>
      inTransaction(database.pool, (client) => recordActivity(client, schema, tenantId, accountId, batches)),

    async recordOvercastPowerChange(change) {
      await prisma.$transaction(async (tx) => {
        await tx.cloudAccount.createMany({
          data: [{ tenantId: change.tenantId, type: 'overcast', provider: change.provider }],
          skipDuplicates: true,
        });
        const account = await tx.cloudAccount.findFirstOrThrow({
          where: { tenantId: change.tenantId, provider: change.provider },
        });
        // Like a file's storing, whose COPY relies on nobody adding the account's events meanwhile.
        const lock = accountActivityLock(account.id);
        await tx.$executeRawUnsafe(lock.text, ...lock.values);
        await tx.trackedInstance.createMany({
          data: [{ tenantId: change.tenantId, accountId: account.id, cloudInstanceId: change.instanceId }],
          skipDuplicates: true,
        });
        const instance = await tx.trackedInstance.findFirstOrThrow({
          where: { accountId: account.id, cloudInstanceId: change.instanceId },
        });
        // The image it boots, so that reports count it like a cloud instance's (pending until inspected).
        const image = change.cloudImageId ? { tenantId: change.tenantId, cloudImageId: change.cloudImageId } : null;
        if (image) {
          const imagesLock = tenantImagesLock(change.tenantId);
          await tx.$executeRawUnsafe(imagesLock.text, ...imagesLock.values);
          await tx.machineImage.createMany({ data: [image], skipDuplicates: true });
        }
        const imageRow = image ? await tx.machineImage.findFirstOrThrow({ where: image, select: { id: true } }) : null;
        await tx.powerEvent.createMany({
          data: [
            {
              tenantId: change.tenantId,
              instanceId: instance.id,
              eventType: change.eventType,
              occurredAt: change.occurredAt,
              sourceEventId: change.sourceEventId,
              machineImageId: imageRow?.id ?? null,
            },
          ],
          skipDuplicates: true,
        });
      });
    },

    dailyUsage: (window, days) => queryDailyUsage(prisma, schema, window, days),
    accountCounts: (window) => queryAccountCounts(prisma, schema, window),
    async imageUsage(window) {
      const usage = await queryImageUsage(prisma, schema, window);
      const rows = await prisma.machineImage.findMany({
        where: { tenantId: window.tenantId, id: { in: usage.map((row) => row.imageId) } },
      });
      const imageOf = new Map(rows.map((row) => [row.id, toMachineImage(row)]));
      return usage.flatMap(({ imageId, instancesSeen, runtimeSeconds }) => {
        const image = imageOf.get(imageId);
        return image ? [{ image, instancesSeen, runtimeSeconds }] : [];
      });
    },
  };
}
