import { randomUUID } from 'node:crypto';
import type { MessageContext } from '@overcast/contracts';
import type { AutoscalingGroupBuildRecord } from './autoscaling-records';
import type { BrokerTransaction } from './ports';
import type { InstanceRecord } from './records';
import { announceStateChange } from './state-change';

/** What is known of an instance a group launched when it is adopted. */
export interface GroupInstanceFacts {
  upstreamId: string;
  state: InstanceRecord['state'];
  ipAddress: string | null;
  /** As the provider reports them; null (a lifecycle notification says neither) takes the build's instance's. */
  image: string | null;
  instanceType: string | null;
}

/**
 * Makes an instance the build's group launched an Overcast instance of the build's tenant: the build's site, env,
 * queue and role, the provider's id, and the instance build of the instance the group was made from (the group
 * boots its user data, so the new instance's init script and heartbeats name that build). Recorded per group and
 * provider id first, so a second adoption (a redelivered notification, the sync racing it) writes nothing: null.
 */
export async function adoptGroupInstance(
  tx: BrokerTransaction,
  adoption: {
    build: AutoscalingGroupBuildRecord;
    source: InstanceRecord;
    facts: GroupInstanceFacts;
    now: Date;
    context?: MessageContext;
  },
): Promise<InstanceRecord | null> {
  const { build, source, facts, now } = adoption;
  const instanceId = randomUUID();
  const member = { instanceId, tenantId: build.tenantId, buildId: build.id, upstreamInstanceId: facts.upstreamId };
  if (!(await tx.autoscaling.recordGroupInstance(member))) return null;
  const instance: InstanceRecord = {
    id: instanceId,
    tenantId: build.tenantId,
    provider: build.provider,
    image: facts.image ?? source.image,
    instanceType: facts.instanceType ?? source.instanceType,
    // The group's launch configuration is the source instance's, key pair included.
    publicSshKey: source.publicSshKey,
    state: facts.state,
    ipAddress: facts.ipAddress,
    upstreamId: facts.upstreamId,
    errorReason: null,
    env: build.env,
    site: build.site,
    role: build.role,
    queue: build.queue,
    instanceBuildId: source.instanceBuildId,
    createdAt: now,
    updatedAt: now,
  };
  await tx.instances.insert([instance]);
  // Announced as any new instance is; no provision command: the group made it.
  await announceStateChange(tx.outbox, null, instance, adoption.context);
  return instance;
}
