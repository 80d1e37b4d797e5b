import {
  AutoscalingGroupBuildState,
  InstanceLifecycleTransition,
  ScalingRule,
  type AutoscalingGroupBuild,
} from '@overcast/contracts';
import {
  autoscalingSteps,
  type AutoscalingGroupBuildRecord,
  type AutoscalingRepository,
  type AutoscalingStep,
  type GroupInstanceRecord,
  type LifecycleActionRecord,
} from '../domain/autoscaling-records';
import type {
  AutoscalingGroupBuild as BuildRow,
  AutoscalingGroupInstance as GroupInstanceRow,
  AutoscalingLifecycleAction as ActionRow,
} from '../generated/prisma/client';
import type { BrokerPrismaExecutor } from './prisma-client';

function stepOf(value: string | null): AutoscalingStep | null {
  if (value === null) return null;
  const step = autoscalingSteps.find((known) => known === value);
  if (!step) throw new Error(`autoscaling_group_builds.step holds an unknown step "${value}"`);
  return step;
}

function toBuildRecord(row: BuildRow): AutoscalingGroupBuildRecord {
  return {
    ...row,
    timestamp: Number(row.timestamp),
    scaleOut: ScalingRule.parse(row.scaleOut),
    scaleIn: ScalingRule.parse(row.scaleIn),
    state: AutoscalingGroupBuildState.parse(row.state),
    step: stepOf(row.step),
  };
}

function toActionRecord(row: ActionRow): LifecycleActionRecord {
  const { createdAt: _created, ...fields } = row;
  return { ...fields, transition: InstanceLifecycleTransition.parse(row.transition) };
}

function toGroupInstanceRecord(row: GroupInstanceRow): GroupInstanceRecord {
  const { createdAt: _created, ...fields } = row;
  return fields;
}

const actionKey = (tenantId: string, transition: string, upstreamInstanceId: string) => ({
  tenantId_transition_upstreamInstanceId: { tenantId, transition, upstreamInstanceId },
});

export function createAutoscalingRepository(db: BrokerPrismaExecutor): AutoscalingRepository {
  return {
    async insertBuild(build) {
      const rules: Pick<AutoscalingGroupBuild, 'scaleOut' | 'scaleIn'> = build;
      try {
        const row = await db.autoscalingGroupBuild.create({
          data: { ...build, ...rules, timestamp: BigInt(build.timestamp) },
        });
        return toBuildRecord(row);
      } catch (error) {
        // The only unique keys besides the fresh id are the group name's (per tenant, per topic).
        if ((error as { code?: unknown }).code === 'P2002') return 'name-taken';
        throw error;
      }
    },
    async findBuild(id) {
      const row = await db.autoscalingGroupBuild.findUnique({ where: { id } });
      return row ? toBuildRecord(row) : null;
    },
    async updateBuild(id, changes) {
      const row = await db.autoscalingGroupBuild.update({ where: { id }, data: { ...changes, updatedAt: new Date() } });
      return toBuildRecord(row);
    },
    async findBuildsByTopic(topicArn) {
      const rows = await db.autoscalingGroupBuild.findMany({ where: { topicArn }, orderBy: { createdAt: 'asc' } });
      return rows.map(toBuildRecord);
    },
    async recordSnsMessage(message) {
      const { count } = await db.snsMessage.createMany({ data: [message], skipDuplicates: true });
      return count === 1;
    },
    async storeLifecycleAction(action) {
      const key = actionKey(action.tenantId, action.transition, action.upstreamInstanceId);
      await db.autoscalingLifecycleAction.upsert({ where: key, create: action, update: action });
    },
    async deleteLifecycleAction({ tenantId, transition, upstreamInstanceId, token }) {
      await db.autoscalingLifecycleAction.deleteMany({ where: { tenantId, transition, upstreamInstanceId, token } });
    },
    async findLifecycleAction(tenantId, transition, upstreamInstanceId) {
      const row = await db.autoscalingLifecycleAction.findUnique({
        where: actionKey(tenantId, transition, upstreamInstanceId),
      });
      return row ? toActionRecord(row) : null;
    },
    async listFinishedBuilds(provider) {
      const rows = await db.autoscalingGroupBuild.findMany({
        where: { provider, state: 'finished' },
        orderBy: { createdAt: 'asc' },
      });
      return rows.map(toBuildRecord);
    },
    async recordGroupInstance(member) {
      const { count } = await db.autoscalingGroupInstance.createMany({ data: [member], skipDuplicates: true });
      return count === 1;
    },
    async listGroupInstances(buildId) {
      const rows = await db.autoscalingGroupInstance.findMany({ where: { buildId }, orderBy: { createdAt: 'asc' } });
      return rows.map(toGroupInstanceRecord);
    },
    async findGroupInstance(instanceId) {
      const row = await db.autoscalingGroupInstance.findUnique({ where: { instanceId } });
      return row ? toGroupInstanceRecord(row) : null;
    },
    async markExpectedDown(tenantId, upstreamInstanceId) {
      await db.expectedDownInstance.createMany({ data: [{ tenantId, upstreamInstanceId }], skipDuplicates: true });
    },
    async isExpectedDown(tenantId, upstreamInstanceId) {
      const row = await db.expectedDownInstance.findUnique({
        where: { tenantId_upstreamInstanceId: { tenantId, upstreamInstanceId } },
      });
      return row !== null;
    },
  };
}
