import type { Instance, Tag } from '@aws-sdk/client-ec2';
import type { ProviderInstance, ProviderInstanceState } from '../core/compute';
import { OVERCAST_ID_TAG } from '../core/compute';

/**
 * EC2 state → Overcast state. `stopped` maps to terminated on purpose: a stopped build VM does no work and
 * Overcast never restarts one, so the row ends and the reaper (which still sees the tagged instance in
 * listInstances) terminates it for real instead of leaving its volumes billed forever.
 */
const stateByEc2Name: Record<string, ProviderInstanceState> = {
  pending: 'starting',
  running: 'running',
  'shutting-down': 'terminating',
  stopping: 'terminating',
  stopped: 'terminated',
  terminated: 'terminated',
};

export function mapEc2State(name: string | undefined): ProviderInstanceState {
  return (name && stateByEc2Name[name]) || 'starting';
}

export function tagsToRecord(tags: Tag[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) {
    if (tag.Key !== undefined) record[tag.Key] = tag.Value ?? '';
  }
  return record;
}

export function recordToTags(record: Record<string, string>): Tag[] {
  return Object.entries(record).map(([Key, Value]) => ({ Key, Value }));
}

/** null for an instance without the Overcast tag: it is not ours and Overcast never reports it. */
export function toProviderInstance(
  instance: Instance,
  options: { usePrivateIp?: boolean } = {},
): ProviderInstance | null {
  const tags = tagsToRecord(instance.Tags);
  const id = tags[OVERCAST_ID_TAG];
  if (!id || !instance.InstanceId) return null;
  const ipAddress = options.usePrivateIp
    ? (instance.PrivateIpAddress ?? null)
    : (instance.PublicIpAddress ?? instance.PrivateIpAddress ?? null);
  return {
    id,
    upstreamId: instance.InstanceId,
    state: mapEc2State(instance.State?.Name),
    ipAddress,
    tags,
    createdAt: instance.LaunchTime ?? new Date(0),
  };
}

/** Of several instances carrying one Overcast id, the live one wins, then the newest launch. */
export function pickCurrentInstance(instances: Instance[]): Instance | undefined {
  const rank = (instance: Instance) => (instance.State?.Name === 'terminated' ? 0 : 1);
  return [...instances].sort(
    (a, b) => rank(b) - rank(a) || (b.LaunchTime?.getTime() ?? 0) - (a.LaunchTime?.getTime() ?? 0),
  )[0];
}
