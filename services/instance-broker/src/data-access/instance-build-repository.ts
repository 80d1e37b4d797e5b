import { InstanceBuildState, InstanceType } from '@overcast/contracts';
import type { InstanceBuildChanges, InstanceBuildRepository } from '../domain/ports';
import type { InstanceBuildRecord } from '../domain/records';
import type { InstanceBuild as InstanceBuildRow } from '../generated/prisma/client';
import type { BrokerPrismaExecutor } from './prisma-client';

export function toInstanceBuildRecord(row: InstanceBuildRow): InstanceBuildRecord {
  return {
    ...row,
    state: InstanceBuildState.parse(row.state),
    instanceType: InstanceType.parse(row.instanceType),
    secretSalt: row.secretSalt ? new Uint8Array(row.secretSalt) : null,
    secretHash: row.secretHash ? new Uint8Array(row.secretHash) : null,
  };
}

function toData(changes: InstanceBuildChanges) {
  const { secretSalt, secretHash, ...rest } = changes;
  return {
    ...rest,
    ...(secretSalt !== undefined && { secretSalt: secretSalt ? new Uint8Array(secretSalt) : null }),
    ...(secretHash !== undefined && { secretHash: secretHash ? new Uint8Array(secretHash) : null }),
    updatedAt: new Date(),
  };
}

export function createInstanceBuildRepository(db: BrokerPrismaExecutor): InstanceBuildRepository {
  return {
    async insert(build) {
      const { secretSalt, secretHash, ...rest } = build;
      const row = await db.instanceBuild.create({
        data: {
          ...rest,
          secretSalt: secretSalt ? new Uint8Array(secretSalt) : null,
          secretHash: secretHash ? new Uint8Array(secretHash) : null,
        },
      });
      return toInstanceBuildRecord(row);
    },

    async findById(id) {
      const row = await db.instanceBuild.findUnique({ where: { id } });
      return row ? toInstanceBuildRecord(row) : null;
    },

    async findForTenant(tenantId, id) {
      const row = await db.instanceBuild.findFirst({ where: { id, tenantId } });
      return row ? toInstanceBuildRecord(row) : null;
    },

    async update(id, changes) {
      return toInstanceBuildRecord(await db.instanceBuild.update({ where: { id }, data: toData(changes) }));
    },

    async updateIfState(id, expectedState, changes) {
      const { count } = await db.instanceBuild.updateMany({
        where: { id, state: expectedState },
        data: toData(changes),
      });
      if (count === 0) return null;
      const row = await db.instanceBuild.findUnique({ where: { id } });
      return row ? toInstanceBuildRecord(row) : null;
    },
  };
}
