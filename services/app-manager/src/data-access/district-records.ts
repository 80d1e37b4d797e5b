import { randomUUID } from 'node:crypto';
import { AppError, launchContainerInstancesCommand, removeAppCommand } from '@overcast/contracts';
import { qualified } from '@overcast/db';
import { sql } from 'kysely';
import type { AppStore } from '../domain/ports';
import type { SecretBox } from '../domain/secret-box';
import type { TenantQuotaLimits } from '../domain/tenant-quotas';
import type { Prisma } from '../generated/prisma/client';
import { isUniqueViolation } from './app-changes';
import { enqueue } from './outbox';
import type { AppManagerPrisma } from './prisma-client';
import { districtInclude, appInclude, toApp, toDistrict, toDistrictRef } from './rows';
import type { Statements } from './statements';
import { prismaRows, takeQuota, uncountApps } from './tenant-quotas';

export type DistrictRecords = Pick<
  AppStore,
  | 'insertDistrict'
  | 'findDistrict'
  | 'findDistrictRef'
  | 'listDistricts'
  | 'updateDistrict'
  | 'deleteDistrict'
  | 'queueLaunch'
>;

/** Districts: created under the tenant's quota, read, updated, deleted with their apps' removals, asked for instances. */
export function createDistrictRecords(
  prisma: AppManagerPrisma,
  statements: Statements,
  schema: string,
  secrets: SecretBox,
  limits: TenantQuotaLimits,
): DistrictRecords {
  const records: DistrictRecords = {
    async insertDistrict(tenantId, name, fields) {
      try {
        const row = await prisma.$transaction(async (tx) => {
          const created = await tx.district.create({
            data: {
              id: randomUUID(),
              tenantId,
              name,
              provider: fields.provider,
              aws: fields.aws as Prisma.InputJsonObject,
              sealedCredentials: fields.sealedCredentials,
              dockercfg: (fields.dockercfg ?? undefined) as Prisma.InputJsonValue | undefined,
            },
            include: districtInclude,
          });
          await takeQuota(prismaRows(tx), schema, tenantId, 'districts', limits);
          return created;
        });
        return toDistrict(row);
      } catch (error) {
        if (isUniqueViolation(error))
          throw new AppError('conflict', `A district named ${name} exists already.`, {
            details: [{ path: 'name', message: 'is taken' }],
          });
        throw error;
      }
    },
    async findDistrict(tenantId, name) {
      const row = await prisma.district.findUnique({
        where: { tenantId_name: { tenantId, name } },
        include: districtInclude,
      });
      return row ? toDistrict(row) : null;
    },
    async findDistrictRef(tenantId, name) {
      // Every app create asks it: one statement of its own, not Prisma's.
      const [row] = await statements.run<Parameters<typeof toDistrictRef>[0]>(
        sql`SELECT id, tenant_id AS "tenantId", name, provider, aws, sealed_credentials AS "sealedCredentials",
                   created_at AS "createdAt"
              FROM ${statements.table('districts')} WHERE tenant_id = ${tenantId} AND name = ${name}`,
      );
      return row ? toDistrictRef(row) : null;
    },
    async listDistricts(tenantId) {
      const rows = await prisma.district.findMany({
        where: { tenantId },
        include: districtInclude,
        orderBy: { name: 'asc' },
      });
      return rows.map(toDistrict);
    },
    async updateDistrict(tenantId, name, fields) {
      const { count } = await prisma.district.updateMany({
        where: { tenantId, name },
        data: {
          ...(fields.provider === undefined ? {} : { provider: fields.provider }),
          ...(fields.aws === undefined ? {} : { aws: fields.aws as Prisma.InputJsonObject }),
          ...(fields.sealedCredentials === undefined ? {} : { sealedCredentials: fields.sealedCredentials }),
          ...(fields.dockercfg === undefined ? {} : { dockercfg: fields.dockercfg as Prisma.InputJsonValue }),
          updatedAt: new Date(),
        },
      });
      return count === 0 ? null : records.findDistrict(tenantId, name);
    },
    async deleteDistrict(tenantId, name, removals) {
      return prisma.$transaction(async (tx) => {
        const district = await tx.district.findUnique({ where: { tenantId_name: { tenantId, name } } });
        if (!district) return false;
        // Locked first: an app create in the district (its foreign key) waits, so the apps read are all it holds.
        await tx.$queryRawUnsafe(
          `SELECT 1 FROM ${qualified(schema, 'districts')} WHERE id = $1::uuid FOR UPDATE`,
          district.id,
        );
        const apps = await tx.app.findMany({ where: { districtId: district.id }, include: appInclude });
        await uncountApps(prismaRows(tx), schema, tenantId, apps.length);
        for (const removal of removals(apps.map((row) => toApp(row, secrets))))
          await enqueue(tx, schema, removeAppCommand, removal);
        await tx.district.delete({ where: { id: district.id } });
        return true;
      });
    },
    async queueLaunch(tenantId, district, count, instanceType) {
      await prisma.$transaction(async (tx) => {
        await enqueue(tx, schema, launchContainerInstancesCommand, {
          tenantId,
          district,
          launchId: randomUUID(),
          count,
          instanceType,
        });
      });
    },
  };
  return records;
}
