import type { Image, Instance, InstanceBuild } from '@overcast/contracts';
import type { ImageRecord, InstanceBuildRecord, InstanceRecord } from './records';

/** Records to wire shapes (contracts); nothing secret leaves here. */

export function presentInstance(record: InstanceRecord): Instance {
  // The record is the wire shape plus its tenant (records.ts): everything but the tenant goes out.
  const { tenantId: _tenant, createdAt, updatedAt, ...fields } = record;
  return { ...fields, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString() };
}

export function presentInstanceBuild(record: InstanceBuildRecord, instanceIds: string[]): InstanceBuild {
  return {
    id: record.id,
    provider: record.provider,
    site: record.site,
    env: record.env,
    role: record.role,
    queue: record.queue,
    instanceType: record.instanceType,
    count: record.count,
    image: record.image,
    slackChannel: record.slackChannel,
    subnetId: record.subnetId,
    securityGroupId: record.securityGroupId,
    bootInstance: record.bootInstance,
    state: record.state,
    instanceIds,
    errorReason: record.errorReason,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

export function presentImage(record: ImageRecord): Image {
  return {
    id: record.id,
    provider: record.provider,
    imageId: record.imageId,
    role: record.role,
    name: record.name,
    active: record.active,
    state: record.state,
    createdAt: record.createdAt.toISOString(),
  };
}
