import { InstanceState, InstanceType } from '@overcast/contracts';
import type { InstanceRepository } from '../domain/ports';
import type { InstanceRecord } from '../domain/records';
import type { Instance as InstanceRow, Prisma } from '../generated/prisma/client';
import type { BrokerPrismaExecutor } from './prisma-client';

/** Parsing the enums on the way out means a bad row fails loudly here, not somewhere downstream. */
export function toInstanceRecord(row: InstanceRow): InstanceRecord {
  return { ...row, state: InstanceState.parse(row.state), instanceType: InstanceType.parse(row.instanceType) };
}

export function createInstanceRepository(db: BrokerPrismaExecutor): InstanceRepository {
  return {
    async insert(instance) {
      return toInstanceRecord(await db.instance.create({ data: instance }));
    },

    async findById(id) {
      const row = await db.instance.findUnique({ where: { id } });
      return row ? toInstanceRecord(row) : null;
    },

    async findForTenant(tenantId, id) {
      const row = await db.instance.findFirst({ where: { id, tenantId } });
      return row ? toInstanceRecord(row) : null;
    },

    async list(tenantId, filters, limit, after) {
      const where: Prisma.InstanceWhereInput = { tenantId };
      for (const key of ['env', 'site', 'role', 'queue', 'provider', 'state'] as const) {
        const value = filters[key];
        if (value !== undefined) where[key] = value;
      }
      if (after) {
        where.OR = [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }];
      }
      const rows = await db.instance.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit });
      return rows.map(toInstanceRecord);
    },

    async updateIfState(id, expectedState, changes) {
      const { count } = await db.instance.updateMany({
        where: { id, state: expectedState },
        data: { ...changes, updatedAt: new Date() },
      });
      if (count === 0) return null;
      const row = await db.instance.findUnique({ where: { id } });
      return row ? toInstanceRecord(row) : null;
    },

    async listByProvider(provider, states) {
      const rows = await db.instance.findMany({
        where: { provider, state: { in: [...states] } },
        orderBy: { createdAt: 'asc' },
      });
      return rows.map(toInstanceRecord);
    },

    async findByIds(ids) {
      if (ids.length === 0) return [];
      const rows = await db.instance.findMany({ where: { id: { in: [...ids] } } });
      return rows.map(toInstanceRecord);
    },

    async listByBuild(buildId) {
      const rows = await db.instance.findMany({
        where: { instanceBuildId: buildId },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      return rows.map(toInstanceRecord);
    },
  };
}
