import type { Image, Instance, InstanceBuild, Quota, Token } from '@overcast/sdk';
import type { Column } from './format';
import { formatDetails } from './format';

export const instanceColumns: Column<Instance>[] = [
  { header: 'ID', value: (instance) => instance.id },
  { header: 'STATE', value: (instance) => instance.state },
  { header: 'PROVIDER', value: (instance) => instance.provider },
  { header: 'IMAGE', value: (instance) => instance.image },
  { header: 'TYPE', value: (instance) => instance.instance_type },
  { header: 'IP', value: (instance) => instance.ip_address },
  { header: 'CREATED', value: (instance) => instance.created_at },
];

export function formatInstance(instance: Instance): string {
  return formatDetails([
    ['id', instance.id],
    ['state', instance.state],
    ['provider', instance.provider],
    ['image', instance.image],
    ['instance type', instance.instance_type],
    ['ip address', instance.ip_address],
    ['upstream id', instance.upstream_id],
    ...(instance.error_reason ? ([['error', instance.error_reason]] as [string, unknown][]) : []),
    ['env / site', `${instance.env ?? '-'} / ${instance.site ?? '-'}`],
    ['role / queue', `${instance.role ?? '-'} / ${instance.queue ?? '-'}`],
    ['build', instance.instance_build_id],
    ['created', instance.created_at],
    ['updated', instance.updated_at],
  ]);
}

export function formatBuild(build: InstanceBuild): string {
  return formatDetails([
    ['id', build.id],
    ['state', build.state],
    ['site / env', `${build.site} / ${build.env}`],
    ['role / queue', `${build.role} / ${build.queue}`],
    ['instance type', build.instance_type],
    ['count', build.count],
    ['provider', build.provider],
    ['image', build.image],
    ['slack channel', build.slack_channel],
    ['boot instance', build.boot_instance],
    ['instances', build.instance_ids],
    ['created', build.created_at],
  ]);
}

export const imageColumns: Column<Image>[] = [
  { header: 'ID', value: (image) => image.id },
  { header: 'PROVIDER', value: (image) => image.provider },
  { header: 'IMAGE ID', value: (image) => image.image_id },
  { header: 'ROLE', value: (image) => image.role },
  { header: 'NAME', value: (image) => image.name },
  { header: 'ACTIVE', value: (image) => (image.active ? 'yes' : 'no') },
  { header: 'STATE', value: (image) => image.state },
  { header: 'CREATED', value: (image) => image.created_at },
];

export const tokenColumns: Column<Token>[] = [
  { header: 'ID', value: (token) => token.id },
  { header: 'ROLE', value: (token) => token.role },
  { header: 'DESCRIPTION', value: (token) => token.description },
  { header: 'CREATED', value: (token) => token.created_at },
  { header: 'LAST USED', value: (token) => token.last_used_at },
];

export const quotaColumns: Column<Quota>[] = [
  { header: 'QUOTA', value: (quota) => quota.name },
  { header: 'USED', value: (quota) => quota.used },
  { header: 'LIMIT', value: (quota) => quota.limit },
  { header: 'LEFT', value: (quota) => Math.max(0, quota.limit - quota.used) },
];
