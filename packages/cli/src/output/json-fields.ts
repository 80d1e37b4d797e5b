import type { CreatedToken, Image, Instance, InstanceBuild, Quota, Token } from '@overcast/sdk';

/**
 * The fields `--json` may select, per resource. Written as a record over the SDK's type so that a field the
 * spec adds or drops is a compile error here until listed.
 */
export function fieldsOf<Resource>(fields: Record<keyof Resource, true>): readonly string[] {
  return Object.keys(fields);
}

export const instanceFields = fieldsOf<Instance>({
  id: true,
  provider: true,
  image: true,
  instance_type: true,
  state: true,
  ip_address: true,
  upstream_id: true,
  error_reason: true,
  public_ssh_key: true,
  env: true,
  site: true,
  role: true,
  queue: true,
  instance_build_id: true,
  created_at: true,
  updated_at: true,
  name: true,
  image_id: true,
  ip: true,
  private_ip: true,
  launch_time: true,
});

export const buildFields = fieldsOf<InstanceBuild>({
  id: true,
  state: true,
  site: true,
  env: true,
  role: true,
  queue: true,
  instance_type: true,
  count: true,
  provider: true,
  image: true,
  slack_channel: true,
  subnet_id: true,
  security_group_id: true,
  boot_instance: true,
  instance_ids: true,
  created_at: true,
});

export const imageFields = fieldsOf<Image>({
  id: true,
  image_id: true,
  provider: true,
  role: true,
  name: true,
  active: true,
  state: true,
  created_at: true,
});

export const tokenFields = fieldsOf<Token>({
  id: true,
  description: true,
  role: true,
  tenant_id: true,
  created_at: true,
  last_used_at: true,
});

export const createdTokenFields = fieldsOf<CreatedToken>({
  id: true,
  token: true,
  description: true,
  role: true,
  tenant_id: true,
  created_at: true,
});

export const quotaFields = fieldsOf<Quota>({ name: true, limit: true, used: true });
