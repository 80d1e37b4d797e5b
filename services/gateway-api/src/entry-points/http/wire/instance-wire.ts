import type { Image, Instance, InstanceBuild } from '@overcast/contracts';
import type { components } from '../generated/openapi';

type Schemas = components['schemas'];

/** Pudding's name template `{{.Role}}-{{.Site}}-{{.Env}}-{{.Queue}}-{{.InstanceIDWithoutPrefix}}`, over the labels set. */
function puddingNameOf(instance: Instance): string {
  const labels = [instance.role, instance.site, instance.env, instance.queue].filter(Boolean);
  return [...labels, instance.id.slice(0, 8)].join('-');
}

/**
 * The contracts speak camelCase; the public API keeps the originals' snake_case field names, cloud-brain's and,
 * beside them, pudding's (hubot-pudding formats `name`, `ip`, `private_ip` and `launch_time` of every list item).
 */
export function instanceToWire(instance: Instance): Schemas['Instance'] {
  const ip = instance.ipAddress ?? '';
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
    name: puddingNameOf(instance),
    image_id: instance.image,
    ip,
    private_ip: ip,
    launch_time: instance.createdAt,
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
