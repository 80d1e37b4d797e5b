import type { protos } from '@google-cloud/compute';
import type { ProviderInstance, ProviderInstanceState } from '../core/compute';
import { OVERCAST_ID_TAG, ProviderError } from '../core/compute';

type Instance = protos.google.cloud.compute.v1.IInstance;

const namePrefix = 'overcast-';
const resourceName = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Deterministic instance name: a retried create collides with (and adopts) the first try's instance. */
export function instanceName(id: string): string {
  const name = `${namePrefix}${id.toLowerCase()}`;
  if (!resourceName.test(name)) {
    throw new ProviderError(`instance id "${id}" does not make a valid GCE instance name`, { retryable: false });
  }
  return name;
}

/**
 * GCE status → Overcast state. TERMINATED is GCE's "stopped" (the instance still exists); Overcast never
 * restarts one, so it ends the row and the reaper deletes it.
 */
const stateByStatus: Record<string, ProviderInstanceState> = {
  PROVISIONING: 'starting',
  STAGING: 'starting',
  REPAIRING: 'starting',
  RUNNING: 'running',
  PENDING_STOP: 'terminating',
  STOPPING: 'terminating',
  SUSPENDING: 'terminating',
  SUSPENDED: 'terminated',
  TERMINATED: 'terminated',
};

export function mapGceStatus(status: string | null | undefined): ProviderInstanceState {
  return (status && stateByStatus[status]) || 'starting';
}

/** Label keys and values allow lowercase letters, digits, `_` and `-`, at most 63 characters. */
function toLabelPart(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '_')
    .slice(0, 63);
}

/** Overcast tags as GCE labels; `Name` is dropped because the instance name already is the name. */
export function tagsToLabels(tags: Record<string, string>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) {
    if (key === 'Name') continue;
    const labelKey = toLabelPart(key);
    labels[/^[a-z]/.test(labelKey) ? labelKey : `x${labelKey}`.slice(0, 63)] = toLabelPart(value);
  }
  return labels;
}

function externalOrInternalIp(instance: Instance): string | null {
  const networkInterface = instance.networkInterfaces?.[0];
  return networkInterface?.accessConfigs?.[0]?.natIP || networkInterface?.networkIP || null;
}

/** null for an instance that is not Overcast's (no label, foreign name). */
export function toProviderInstance(instance: Instance): ProviderInstance | null {
  const labels: Record<string, string> = { ...instance.labels };
  const id =
    labels[OVERCAST_ID_TAG] ??
    (instance.name?.startsWith(namePrefix) ? instance.name.slice(namePrefix.length) : undefined);
  if (!id) return null;
  return {
    id,
    upstreamId: String(instance.id ?? instance.name),
    state: mapGceStatus(instance.status),
    ipAddress: externalOrInternalIp(instance),
    tags: labels,
    createdAt: instance.creationTimestamp ? new Date(instance.creationTimestamp) : new Date(0),
  };
}
