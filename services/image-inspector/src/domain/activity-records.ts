import type { PowerEventType } from '@overcast/contracts';

/** One instance a relevant CloudTrail record names, with what the record itself says of it. */
export interface RecordedInstance {
  cloudInstanceId: string;
  imageId: string | null;
  instanceType: string | null;
  subnet: string | null;
}

export interface PowerRecord {
  kind: 'power';
  eventId: string;
  occurredAt: Date;
  awsAccountId: string | null;
  region: string | null;
  eventType: PowerEventType;
  instances: RecordedInstance[];
}

/** `CreateTags`/`DeleteTags` of the OpenShift marker on images. */
export interface OpenshiftTagRecord {
  kind: 'openshift-tag';
  eventId: string;
  occurredAt: Date;
  awsAccountId: string | null;
  present: boolean;
  imageIds: string[];
}

export type RelevantRecord = PowerRecord | OpenshiftTagRecord;

export const openshiftTagKey = 'cloudigrade-ocp-present';

// FACTS 4.3: cloudigrade's map of EC2 event names to power events (StartInstance, singular, included as it had it).
// A Map, so that a record named after an Object.prototype member ("constructor") is not taken for one.
const powerEventOf = new Map<string, PowerEventType>([
  ['RunInstances', 'power_on'],
  ['StartInstance', 'power_on'],
  ['StartInstances', 'power_on'],
  ['StopInstances', 'power_off'],
  ['TerminateInstances', 'power_off'],
  ['TerminateInstanceInAutoScalingGroup', 'power_off'],
]);

type Json = Record<string, unknown>;

function objectAt(value: unknown, ...keys: string[]): Json | null {
  let current: unknown = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return null;
    current = (current as Json)[key];
  }
  return typeof current === 'object' && current !== null && !Array.isArray(current) ? (current as Json) : null;
}

function itemsAt(value: unknown, ...keys: string[]): Json[] {
  const holder = objectAt(value, ...keys);
  const items = holder?.items;
  return Array.isArray(items)
    ? items.filter((item): item is Json => typeof item === 'object' && item !== null && !Array.isArray(item))
    : [];
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** A record's time and id, or null when it lacks either (it cannot be placed or deduplicated). */
function identityOf(record: Json): { eventId: string; occurredAt: Date } | null {
  const eventId = text(record.eventID);
  const eventTime = text(record.eventTime);
  if (!eventId || !eventTime) return null;
  const occurredAt = new Date(eventTime);
  return Number.isNaN(occurredAt.getTime()) ? null : { eventId, occurredAt };
}

function instancesOf(record: Json): RecordedInstance[] {
  const byId = new Map<string, RecordedInstance>();
  for (const item of itemsAt(record, 'responseElements', 'instancesSet')) {
    const cloudInstanceId = text(item.instanceId);
    if (!cloudInstanceId || byId.has(cloudInstanceId)) continue;
    byId.set(cloudInstanceId, {
      cloudInstanceId,
      imageId: text(item.imageId),
      instanceType: text(item.instanceType),
      subnet: text(item.subnetId),
    });
  }
  return [...byId.values()];
}

function openshiftTagOf(record: Json, eventName: string): Omit<OpenshiftTagRecord, 'eventId' | 'occurredAt'> | null {
  if (eventName !== 'CreateTags' && eventName !== 'DeleteTags') return null;
  const tagged = itemsAt(record, 'requestParameters', 'tagSet').some((tag) => tag.key === openshiftTagKey);
  if (!tagged) return null;
  const imageIds = itemsAt(record, 'requestParameters', 'resourcesSet')
    .map((resource) => text(resource.resourceId))
    .filter((id): id is string => id !== null && id.startsWith('ami-'));
  if (imageIds.length === 0) return null;
  return {
    kind: 'openshift-tag',
    awsAccountId: text(objectAt(record, 'userIdentity')?.accountId),
    present: eventName === 'CreateTags',
    imageIds: [...new Set(imageIds)],
  };
}

/**
 * What cloudigrade kept of a CloudTrail record (FACTS 4.3): EC2 records without an errorCode that power instances
 * on or off, and OpenShift tag changes on images; anything else is null. Unlike the original, an event keeps the
 * instance type, subnet and image its own record states (it stored the instance's attributes at processing time).
 */
export function relevantRecordOf(value: unknown): RelevantRecord | null {
  const record = objectAt({ value }, 'value');
  if (!record || record.eventSource !== 'ec2.amazonaws.com' || record.errorCode !== undefined) return null;
  const eventName = text(record.eventName);
  if (!eventName) return null;
  const eventType = powerEventOf.get(eventName);
  if (eventType) {
    const instances = instancesOf(record);
    const identity = identityOf(record);
    if (instances.length === 0 || !identity) return null;
    return {
      kind: 'power',
      ...identity,
      awsAccountId: text(objectAt(record, 'userIdentity')?.accountId),
      region: text(record.awsRegion),
      eventType,
      instances,
    };
  }
  const tag = openshiftTagOf(record, eventName);
  const identity = tag && identityOf(record);
  return tag && identity ? { ...identity, ...tag } : null;
}
