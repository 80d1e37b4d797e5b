import { removeAppCommand } from '@overcast/contracts';
import type { Database } from '@overcast/db';
import { sql } from 'kysely';
import type { AppStore, SavedChange } from '../domain/ports';
import type { SecretBox } from '../domain/secret-box';
import { quotaExceeded, type TenantQuotaLimits } from '../domain/tenant-quotas';
import { createApp, newHostPortCount, saveAppChange, type SaveOutcome } from './app-changes';
import { createContainerInstanceStore } from './container-instances';
import { createDeployRecords } from './deploy-records';
import { createDistrictRecords } from './district-records';
import { hostPortCandidates } from './host-ports';
import { createOneoffRecords } from './oneoff-records';
import { enqueue } from './outbox';
import { createAppManagerPrisma } from './prisma-client';
import { createReleaseRecords } from './release-records';
import { appInclude, toApp, toDistrictRef } from './rows';
import { createStatements } from './statements';
import { measureQuota, prismaRows, uncountApps } from './tenant-quotas';

/** The saved change, or the tenant's apps quota refusal (nothing was written). */
function savedOrRefused(outcome: SaveOutcome, limit: number): SavedChange {
  if (outcome === 'over_quota') throw quotaExceeded({ name: 'apps', limit, used: limit, requested: 1 });
  return outcome;
}

/**
 * The app manager's store (the AppStore port): apps here, created and changed under the tenant's quota; districts,
 * releases and events, deploys, and one-offs with the scheduler's claims from their own records, over one Prisma
 * client and one statement pool.
 */
export function createAppStore(database: Database, secrets: SecretBox, limits: TenantQuotaLimits): AppStore {
  const prisma = createAppManagerPrisma(database);
  // One snapshot for all of a read's queries: a repeatable-read transaction (read committed gives each its own).
  const oneSnapshot = { isolationLevel: 'RepeatableRead' } as const;
  const { schema } = database;
  const statements = createStatements(database);
  const deployRecords = createDeployRecords(statements, schema, secrets);
  return {
    async ping() {
      await prisma.$queryRawUnsafe('SELECT 1');
    },
    close: () => prisma.$disconnect(),

    ...createDistrictRecords(prisma, statements, schema, secrets, limits),
    ...createContainerInstanceStore(database),

    // An app and its relations are read in one snapshot: Prisma reads each relation with a query of its own, and a
    // deploy's steps committing between them showed the deploy `done` beside services read before its service step
    // had recorded the endpoint (null).
    async findApp(tenantId, name) {
      const row = await prisma.$transaction(
        (read) => read.app.findUnique({ where: { tenantId_name: { tenantId, name } }, include: appInclude }),
        oneSnapshot,
      );
      return row ? toApp(row, secrets) : null;
    },
    async listApps(tenantId, districtId) {
      const rows = await prisma.$transaction(
        (read) =>
          read.app.findMany({
            where: { tenantId, ...(districtId ? { districtId } : {}) },
            include: appInclude,
            orderBy: { name: 'asc' },
          }),
        oneSnapshot,
      );
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

    ...createReleaseRecords(prisma, secrets),

    findDeploy: deployRecords.findDeploy,
    findStaleDeploys: deployRecords.findStaleDeploys,
    completeStep: deployRecords.completeStep,

    ...createOneoffRecords(prisma, schema, secrets),
  };
}
