import type { Database } from '@overcast/db';
import type { Usage } from '../domain/offers';
import type { PlacementTransaction, RegistryStore, World } from '../domain/ports';
import type { Prisma } from '../generated/prisma/client';
import { applyChanges } from './apply-changes';
import { announcePlacementChanges, listenForPlacementChanges } from './placement-signals';
import { createRegistryPrisma, type RegistryPrismaExecutor, type RegistryPrismaTransaction } from './prisma-client';
import { profileRows, toDatacenter, toDeployment, toNode } from './rows';

/** Any constant both the reconcile and the use cases that place agree on (pg_advisory_xact_lock's key). */
const placementLockKey = 0x0e9157;

const withProfiles = { profiles: true } as const;
const withPlacement = { placements: true, nodes: true } as const;

function isUniqueViolation(error: unknown): boolean {
  const { code } = error as { code?: unknown };
  return code === 'P2002' || code === '23505';
}

async function worldOf(db: RegistryPrismaExecutor): Promise<World> {
  const rows = await db.datacenter.findMany({ include: withProfiles });
  const counts = await db.node.groupBy({ by: ['datacenterId', 'profile'], _count: { _all: true } });
  const usage: Usage = new Map();
  for (const { datacenterId, profile, _count } of counts) {
    const perProfile = usage.get(datacenterId) ?? new Map<string, number>();
    perProfile.set(profile, _count._all);
    usage.set(datacenterId, perProfile);
  }
  return { offers: rows.map(toDatacenter), usage };
}

function placementTransaction(tx: RegistryPrismaTransaction, schema: string, now: () => Date): PlacementTransaction {
  return {
    world: () => worldOf(tx),
    async deployments() {
      const rows = await tx.deployment.findMany({ include: withPlacement, orderBy: { createdAt: 'asc' } });
      return rows.map(toDeployment);
    },
    async findDeployment(tenantId, id) {
      const row = await tx.deployment.findFirst({ where: { id, tenantId }, include: withPlacement });
      return row ? toDeployment(row) : null;
    },
    async insertDeployment(deployment) {
      const at = now();
      await tx.deployment.create({
        data: {
          ...deployment,
          config: deployment.config as unknown as Prisma.InputJsonObject,
          state: 'deploying',
          version: 1,
          createdAt: at,
          updatedAt: at,
        },
      });
    },
    async replaceConfig(id, config, source, state) {
      await tx.deployment.update({
        where: { id },
        data: {
          config: config as unknown as Prisma.InputJsonObject,
          source,
          state,
          version: { increment: 1 },
          updatedAt: now(),
        },
      });
    },
    async deleteDeployment(tenantId, id) {
      const placed = await tx.node.findMany({
        where: { deploymentId: id, deployment: { tenantId } },
        select: { datacenterId: true },
        distinct: ['datacenterId'],
      });
      await announcePlacementChanges(
        tx,
        schema,
        placed.map((node) => node.datacenterId),
      );
      const { count } = await tx.deployment.deleteMany({ where: { id, tenantId } });
      return count > 0;
    },
    async markHeartbeat(datacenterId, at) {
      const row = await tx.datacenter.findUnique({ where: { id: datacenterId } });
      if (!row) return null;
      const wasDown = row.state === 'down';
      await tx.datacenter.update({
        where: { id: datacenterId },
        data: { lastHeartbeatAt: at, ...(wasDown ? { state: 'up', upSince: at, updatedAt: at } : {}) },
      });
      return { wasDown, tenantId: row.tenantId };
    },
    async nodesOn(datacenterId) {
      const rows = await tx.node.findMany({
        where: { datacenterId },
        include: { deployment: { select: { config: true, tenantId: true } } },
      });
      return rows.map((row) => {
        const config = row.deployment.config as { services?: Record<string, { image?: string }> };
        return {
          ...toNode(row),
          image: config.services?.[row.service]?.image ?? '',
          tenantId: row.deployment.tenantId,
        };
      });
    },
    apply: (changes) => applyChanges(tx, schema, changes, now()),
  };
}

export function createRegistryStore(database: Database, clock: { now(): Date }): RegistryStore {
  const prisma = createRegistryPrisma(database);
  const now = () => clock.now();
  return {
    inPlacement: (work) =>
      prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${placementLockKey})`;
        return work(placementTransaction(tx, database.schema, now));
      }),

    async rootAuthority(create) {
      const existing = await prisma.authority.findUnique({ where: { id: 'root' } });
      if (existing) return existing;
      const made = await create();
      // Two replicas starting at once: the first insert wins, both use it.
      await prisma.authority.createMany({ data: [{ id: 'root', ...made }], skipDuplicates: true });
      return prisma.authority.findUniqueOrThrow({ where: { id: 'root' } });
    },

    async insertAccount(account) {
      try {
        await prisma.account.create({ data: account });
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },

    async insertDatacenter({ profiles, now: at, ...datacenter }) {
      try {
        const row = await prisma.datacenter.create({
          data: {
            ...datacenter,
            state: 'up',
            lastHeartbeatAt: at,
            upSince: at,
            createdAt: at,
            updatedAt: at,
            profiles: {
              createMany: { data: profileRows(datacenter.id, profiles).map(({ datacenterId: _, ...p }) => p) },
            },
          },
          include: withProfiles,
        });
        return toDatacenter(row);
      } catch (error) {
        if (isUniqueViolation(error)) return null;
        throw error;
      }
    },

    async listDatacenters(tenantId) {
      const rows = await prisma.datacenter.findMany({
        where: { tenantId },
        include: withProfiles,
        orderBy: { createdAt: 'desc' },
      });
      return rows.map(toDatacenter);
    },

    async findDatacenter(tenantId, id) {
      const row = await prisma.datacenter.findFirst({ where: { id, tenantId }, include: withProfiles });
      return row ? toDatacenter(row) : null;
    },

    async findDatacenterCredentials(id) {
      const row = await prisma.datacenter.findUnique({ where: { id }, include: withProfiles });
      return row
        ? { tenantId: row.tenantId, certificatePem: row.certificatePem, profiles: toDatacenter(row).profiles }
        : null;
    },

    updateDatacenter: (tenantId, id, update) =>
      prisma.$transaction(async (tx) => {
        const { count } = await tx.datacenter.updateMany({
          where: { id, tenantId },
          data: { ...(update.endpoint !== undefined ? { endpoint: update.endpoint } : {}), updatedAt: now() },
        });
        if (count === 0) return null;
        if (update.profiles) {
          await tx.datacenterProfile.deleteMany({ where: { datacenterId: id } });
          await tx.datacenterProfile.createMany({ data: profileRows(id, update.profiles) });
        }
        return toDatacenter(await tx.datacenter.findUniqueOrThrow({ where: { id }, include: withProfiles }));
      }),

    async deleteDatacenter(tenantId, id) {
      // Its nodes are lost with it: the reconcile places the deployments' entries elsewhere.
      return prisma.$transaction(async (tx) => {
        const { count } = await tx.datacenter.deleteMany({ where: { id, tenantId } });
        return count > 0;
      });
    },

    async listDeployments(tenantId) {
      const rows = await prisma.deployment.findMany({
        where: { tenantId },
        include: withPlacement,
        orderBy: { createdAt: 'desc' },
      });
      return rows.map(toDeployment);
    },

    async findDeployment(tenantId, id) {
      const row = await prisma.deployment.findFirst({ where: { id, tenantId }, include: withPlacement });
      return row ? toDeployment(row) : null;
    },

    async listEvents(deploymentId, after, limit) {
      const rows = await prisma.deploymentEvent.findMany({
        where: { deploymentId, seq: { gt: BigInt(after) } },
        orderBy: { seq: 'asc' },
        take: limit,
      });
      return rows.map((row) => ({
        seq: Number(row.seq),
        deploymentId: row.deploymentId,
        tenantId: row.tenantId,
        type: row.type,
        data: row.data as Record<string, unknown>,
        createdAt: row.createdAt,
      }));
    },

    async addEvents(events) {
      await prisma.deploymentEvent.createMany({
        data: events.map((event) => ({ ...event, data: event.data as Prisma.InputJsonObject, createdAt: now() })),
      });
    },

    watchPlacementChanges: (changed) => listenForPlacementChanges(database, changed),

    async ping() {
      await prisma.$queryRaw`SELECT 1`;
    },
    close: () => prisma.$disconnect(),
  };
}
