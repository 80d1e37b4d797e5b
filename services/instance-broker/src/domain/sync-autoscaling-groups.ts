import type { GroupInstance, ProviderInstance } from '@overcast/providers';
import { adoptGroupInstance } from './adopt-group-instance';
import type { AutoscalingGroupBuildRecord } from './autoscaling-records';
import { convergeInstance } from './converge-instance';
import type { DomainLogger } from './logger';
import type { BrokerStore, Clock } from './ports';
import type { ProviderDirectory } from './provider-directory';
import { liveInstanceStates, type InstanceRecord } from './records';
import { announceStateChange } from './state-change';

const live = new Set<string>(liveInstanceStates);

/** The group's view of an adopted row, in the shape the refresh converges rows by. */
function asProviderInstance(row: InstanceRecord, observed: GroupInstance): ProviderInstance {
  const { upstreamId, state, ipAddress, createdAt } = observed;
  return { id: row.id, upstreamId, state, ipAddress, tags: {}, createdAt };
}

/**
 * pudding's ec2-sync, per group Overcast built: the group's instances are described, each one not yet known is
 * adopted as an Overcast instance of the build's tenant (also where SNS is not configured), and the adopted ones
 * are converged to what the provider says, as the refresh does for tagged instances: an instance the group is
 * taking out is `terminating` (its heartbeats answer `down`), one it terminated, or the provider forgot, `terminated`.
 */
export function createSyncAutoscalingGroups(deps: {
  store: BrokerStore;
  providers: ProviderDirectory;
  clock: Clock;
  logger: DomainLogger;
}) {
  const { store, logger } = deps;

  async function adopt(build: AutoscalingGroupBuildRecord, observed: GroupInstance[]): Promise<number> {
    const source = await store.instances.findById(build.instanceId);
    if (!source) return 0;
    let adopted = 0;
    for (const { upstreamId, state, ipAddress, image, instanceType } of observed) {
      if (state === 'terminated') continue;
      // One the tenant knows by this provider id already (its own instance) is not the group's to adopt.
      if ((await store.instances.findByProviderReference(build.tenantId, upstreamId, null)).length > 0) continue;
      const facts = { upstreamId, state, ipAddress, image, instanceType };
      const instance = await store.transaction((tx) =>
        adoptGroupInstance(tx, { build, source, facts, now: deps.clock.now() }),
      );
      if (!instance) continue;
      adopted += 1;
      logger.info({ instanceId: instance.id, upstreamId, group: build.name }, 'adopted an autoscaling group instance');
    }
    return adopted;
  }

  async function converge(rows: InstanceRecord[], observed: GroupInstance[], listedAt: Date): Promise<number> {
    const byUpstreamId = new Map(observed.map((instance) => [instance.upstreamId, instance]));
    let changed = 0;
    for (const row of rows) {
      const seen = row.upstreamId === null ? undefined : byUpstreamId.get(row.upstreamId);
      // Adopted rows are never `creating`, so the give-up time does not matter.
      const changes = convergeInstance(row, seen && asProviderInstance(row, seen), listedAt, listedAt);
      if (!changes) continue;
      const next = await store.transition(row, changes, (outbox, updated) =>
        announceStateChange(outbox, row.state, updated),
      );
      if (next && next !== 'duplicate') changed += 1;
    }
    return changed;
  }

  return {
    /** The groups to sync on the provider: its finished builds' (none where it has no autoscaling groups). */
    async listGroups(providerName: string): Promise<AutoscalingGroupBuildRecord[]> {
      if (!deps.providers.find(providerName)?.autoscalingGroups) return [];
      return store.autoscaling.listFinishedBuilds(providerName);
    },

    async syncGroup(build: AutoscalingGroupBuildRecord): Promise<{ adopted: number; changed: number }> {
      const groups = deps.providers.find(build.provider)?.autoscalingGroups;
      if (!groups) return { adopted: 0, changed: 0 };
      // Rows changed after this (a notification's adoption, a terminate) may be newer than the description.
      const listedAt = deps.clock.now();
      const members = await store.autoscaling.listGroupInstances(build.id);
      const rows = (await store.instances.findByIds(members.map((member) => member.instanceId))).filter((row) =>
        live.has(row.state),
      );
      const known = rows.flatMap((row) => (row.upstreamId === null ? [] : [row.upstreamId]));
      const observed = await groups.describeGroupInstances({ groupName: build.name, known });
      const recorded = new Set(members.map((member) => member.upstreamInstanceId));
      const adopted = await adopt(
        build,
        observed.filter((instance) => !recorded.has(instance.upstreamId)),
      );
      return { adopted, changed: await converge(rows, observed, listedAt) };
    },
  };
}
