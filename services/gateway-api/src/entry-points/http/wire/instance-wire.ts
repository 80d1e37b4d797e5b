import type { Image, Instance, InstanceBuild } from '@overcast/contracts';
import type { components } from '../generated/openapi';

type Schemas = components['schemas'];

/** The contracts speak camelCase; the public API keeps the originals' snake_case field names. */
export function instanceToWire(instance: Instance): Schemas['Instance'] {
  return {
    id: instance.id,
    provider: instance.provider,
    image: instance.image,
    instance_type: instance.instanceType,
    state: instance.state,
    ip_address: instance.ipAddress,
    upstream_id: instance.upstreamId,
    error_reason: instance.errorReason,
    public_ssh_key: instance.publicSshKey,
    env: instance.env,
    site: instance.site,
    role: instance.role,
    queue: instance.queue,
    instance_build_id: instance.instanceBuildId,
    created_at: instance.createdAt,
    updated_at: instance.updatedAt,
  };
}

export function instanceBuildToWire(build: InstanceBuild): Schemas['InstanceBuild'] {
  return {
    id: build.id,
    state: build.state,
    site: build.site,
    env: build.env,
    role: build.role,
    queue: build.queue,
    instance_type: build.instanceType,
    count: build.count,
    provider: build.provider,
    image: build.image,
    slack_channel: build.slackChannel,
    subnet_id: build.subnetId,
    security_group_id: build.securityGroupId,
    boot_instance: build.bootInstance,
    instance_ids: build.instanceIds,
    created_at: build.createdAt,
  };
}

export function imageToWire(image: Image): Schemas['Image'] {
  return {
    id: image.id,
    image_id: image.imageId,
    provider: image.provider,
    role: image.role,
    name: image.name,
    active: image.active,
    state: image.state,
    created_at: image.createdAt,
  };
}
