import type { Kysely } from 'kysely';
import type { InstanceBuildReads } from '../domain/ports';
import { Prisma } from '../generated/prisma/client';
import { toInstanceBuildRecord } from './instance-build-repository';
import type { InstanceTables } from './instances-table';

/** Every column of `instance_builds`, as Prisma's model names them (never `*`, see instances-table.ts). */
const buildColumns = Object.values(Prisma.InstanceBuildScalarFieldEnum);

/**
 * The read behind a build's secret (domain/build-caller.ts): the build, and in the same statement whether an
 * autoscaling group build made from one of its instances (an adopted one's too: it carries the build) has made
 * its group (its first step, done), or may yet (pending: its group may be up before the step is recorded). The
 * broker records no group deleted (its sync takes a group that is gone for an empty one), so a group once made
 * counts for good, as pudding kept its secrets; one whose build failed before making it never counts.
 */
export function createInstanceBuildReads(
  db: Kysely<InstanceTables>,
): Pick<InstanceBuildReads, 'findWithAutoscalingGroup'> {
  return {
    async findWithAutoscalingGroup(id) {
      const row = await db
        .selectFrom('instanceBuilds')
        .select(buildColumns)
        .select(({ exists, selectFrom }) =>
          exists(
            selectFrom('autoscalingGroupBuilds as groupBuild')
              .innerJoin('instances as source', 'source.id', 'groupBuild.instanceId')
              .select('groupBuild.instanceId')
              .whereRef('source.instanceBuildId', '=', 'instanceBuilds.id')
              .where((eb) => eb.or([eb('groupBuild.step', 'is not', null), eb('groupBuild.state', '=', 'pending')])),
          )
            // Postgres answers a boolean (Kysely's SqlBool allows MySQL's 0 and 1).
            .$castTo<boolean>()
            .as('hasAutoscalingGroup'),
        )
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) return null;
      const { hasAutoscalingGroup, ...build } = row;
      return { build: toInstanceBuildRecord(build), hasAutoscalingGroup };
    },
  };
}
