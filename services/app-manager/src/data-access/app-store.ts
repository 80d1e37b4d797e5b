import { randomUUID } from 'node:crypto';
import { AppError, launchContainerInstancesCommand, removeAppCommand, runOneoffTaskCommand } from '@overcast/contracts';
import { qualified, type Database } from '@overcast/db';
import { sql } from 'kysely';
import type { AppStore, DueSchedule, SavedChange } from '../domain/ports';
import type { SecretBox } from '../domain/secret-box';
import { quotaExceeded, type TenantQuotaLimits } from '../domain/tenant-quotas';
import type { Prisma } from '../generated/prisma/client';
import { createApp, isUniqueViolation, newHostPortCount, saveAppChange, type SaveOutcome } from './app-changes';
import { hostPortCandidates } from './host-ports';
import { createContainerInstanceStore } from './container-instances';
import { createDeployRecords } from './deploy-records';
import { enqueue } from './outbox';
import { measureQuota, prismaRows, takeQuota, uncountApps } from './tenant-quotas';
import { createAppManagerPrisma } from './prisma-client';
import { createStatements } from './statements';
import {
  appInclude,
  districtInclude,
  oneoffEnvAssociatedData,
  toApp,
  toDistrict,
  toDistrictRef,
  toOneoff,
  toRelease,
} from './rows';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (value: string) => uuidPattern.test(value);

/** The saved change, or the tenant's apps quota refusal (nothing was written). */
function savedOrRefused(outcome: SaveOutcome, limit: number): SavedChange {
  if (outcome === 'over_quota') throw quotaExceeded({ name: 'apps', limit, used: limit, requested: 1 });
  return outcome;
}

export function createAppStore(database: Database, secrets: SecretBox, limits: TenantQuotaLimits): AppStore {
  const prisma = createAppManagerPrisma(database);
  const { schema } = database;
  const statements = createStatements(database);
  const deployRecords = createDeployRecords(statements, schema, secrets);
  const withApp = { app: { select: { name: true } } } as const;

  async function deployStateOf(appId: string, version: number): Promise<string | null> {
    const deploy = await prisma.deploy.findFirst({
      where: { appId, release: version },
      orderBy: { startedAt: 'desc' },
    });
    return deploy?.state ?? null;
  }

  return {
    async ping() {
      await prisma.$queryRawUnsafe('SELECT 1');
    },
    close: () => prisma.$disconnect(),

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
      return count === 0 ? null : this.findDistrict(tenantId, name);
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
    ...createContainerInstanceStore(database),

    async findApp(tenantId, name) {
      const row = await prisma.app.findUnique({ where: { tenantId_name: { tenantId, name } }, include: appInclude });
      return row ? toApp(row, secrets) : null;
    },
    async listApps(tenantId, districtId) {
      const rows = await prisma.app.findMany({
        where: { tenantId, ...(districtId ? { districtId } : {}) },
        include: appInclude,
        orderBy: { name: 'asc' },
      });
      return rows.map((row) => toApp(row, secrets));
    },
    async saveAppChange(change) {
      return statements.transaction(async (client) =>
        savedOrRefused(await saveAppChange(statements, client, schema, secrets, change, limits.apps), limits.apps),
      );
    },
    async createApp(app) {
      // The district and the new mappings' host port candidates in one statement (see hostPortCandidates).
      const [row] = await statements.run<Parameters<typeof toDistrictRef>[0] & { ports: number[] }>(
        sql`SELECT id, tenant_id AS "tenantId", name, provider, aws, sealed_credentials AS "sealedCredentials",
                   created_at AS "createdAt", ${hostPortCandidates(statements, newHostPortCount(app.draft))} AS ports
              FROM ${statements.table('districts')} WHERE tenant_id = ${app.tenantId} AND name = ${app.district}`,
      );
      if (!row) return null;
      const { ports, ...districtRow } = row;
      const district = toDistrictRef(districtRow);
      const change = { ...app, districtId: district.id, appId: null };
      return {
        district,
        saved: savedOrRefused(await createApp(statements, schema, secrets, change, limits.apps, ports), limits.apps),
      };
    },
    async measureQuotas(tenantId) {
      return Promise.all(
        (['districts', 'apps'] as const).map((name) =>
          measureQuota(prismaRows(prisma), schema, tenantId, name, limits[name]),
        ),
      );
    },
    async deleteApp(tenantId, name, removal) {
      return prisma.$transaction(async (tx) => {
        const row = await tx.app.findUnique({ where: { tenantId_name: { tenantId, name } }, include: appInclude });
        if (!row) return false;
        await enqueue(tx, schema, removeAppCommand, removal(toApp(row, secrets)));
        await tx.app.delete({ where: { id: row.id } });
        await uncountApps(prismaRows(tx), schema, tenantId, 1);
        return true;
      });
    },

    async listReleases(appId) {
      const rows = await prisma.release.findMany({ where: { appId }, orderBy: { version: 'desc' } });
      const deploys = await prisma.deploy.findMany({ where: { appId }, orderBy: { startedAt: 'asc' } });
      const stateOf = new Map(deploys.map((deploy) => [deploy.release, deploy.state]));
      return rows.map((row) => toRelease(row, secrets, stateOf.get(row.version) ?? null));
    },
    async findRelease(appId, version) {
      const row = await prisma.release.findUnique({ where: { appId_version: { appId, version } } });
      return row ? toRelease(row, secrets, await deployStateOf(appId, version)) : null;
    },
    async listEvents(appId, limit) {
      const rows = await prisma.appEvent.findMany({ where: { appId }, orderBy: { seq: 'desc' }, take: limit });
      return rows.map((row) => ({
        id: row.id,
        level: row.level as 'good' | 'warn' | 'error',
        message: row.message,
        release: row.release,
        createdAt: row.createdAt,
      }));
    },

    findDeploy: deployRecords.findDeploy,
    completeStep: deployRecords.completeStep,

    async insertOneoff(oneoff) {
      return prisma.$transaction(async (tx) => {
        const id = randomUUID();
        const row = await tx.oneoff.create({
          data: {
            id,
            tenantId: oneoff.tenantId,
            appId: oneoff.appId,
            command: oneoff.command,
            imageTag: oneoff.imageTag,
            service: oneoff.service,
            sealedEnv: secrets.seal(JSON.stringify(oneoff.env), oneoffEnvAssociatedData(id)),
            status: 'pending',
          },
          include: withApp,
        });
        await enqueue(tx, schema, runOneoffTaskCommand, { tenantId: oneoff.tenantId, oneoffId: id }, oneoff.context);
        return toOneoff(row, secrets);
      });
    },
    async findOneoff(tenantId, id) {
      // Ids arrive from URLs: anything that is no uuid is simply unknown (the column would refuse it).
      if (!isUuid(id)) return null;
      const row = await prisma.oneoff.findFirst({ where: { id, tenantId }, include: withApp });
      return row ? toOneoff(row, secrets) : null;
    },
    async updateOneoff(id, progress) {
      await prisma.oneoff.update({ where: { id }, data: { ...progress, updatedAt: new Date() } });
    },
    async claimDueSchedules(now, nextTickOf, limit) {
      return prisma.$transaction(async (tx) => {
        const due = await tx.$queryRawUnsafe<(DueSchedule & { id: string })[]>(
          `SELECT s.id, s.name AS service, s.command, s.schedule, s.next_run_at AS "nextRunAt",
                  a.id AS "appId", a.tenant_id AS "tenantId"
             FROM ${qualified(schema, 'app_services')} s JOIN ${qualified(schema, 'apps')} a ON a.id = s.app_id
            WHERE s.schedule IS NOT NULL AND s.next_run_at <= $1
            ORDER BY s.next_run_at LIMIT $2
            FOR UPDATE OF s SKIP LOCKED`,
          now,
          limit,
        );
        for (const tick of due) {
          const nextRunAt = nextTickOf(tick.schedule, tick.nextRunAt, now);
          await tx.appService.update({ where: { id: tick.id }, data: { nextRunAt } });
          const id = randomUUID();
          await tx.oneoff.create({
            data: {
              id,
              tenantId: tick.tenantId,
              appId: tick.appId,
              command: tick.command ?? '',
              imageTag: null,
              service: tick.service,
              sealedEnv: secrets.seal('{}', oneoffEnvAssociatedData(id)),
              status: 'pending',
            },
          });
          await enqueue(tx, schema, runOneoffTaskCommand, { tenantId: tick.tenantId, oneoffId: id });
        }
        return due.length;
      });
    },
  };
}
