import { createHash } from 'node:crypto';
import type { LiveServiceState, ServiceKey, ServiceStatus } from './container-platform';

/** ECS service name and task-definition family of an app service (Barcelona's `<heritage>-<service>`). */
export function serviceNameOf(key: ServiceKey): string {
  return `${key.app}-${key.service}`;
}

/** The task-definition family one-offs of an app run under (Barcelona's `<heritage>-oneoff`). */
export function oneOffFamilyOf(app: string): string {
  return `${app}-oneoff`;
}

/**
 * Classic ELB names are at most 32 letters, digits and hyphens: a longer `<app>-<service>` keeps its first 23
 * characters and a hash of the whole name, so two long names never share a balancer.
 */
export function loadBalancerNameOf(key: ServiceKey): string {
  const name = serviceNameOf(key);
  if (name.length <= 32) return name;
  const digest = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, 23).replace(/-+$/, '')}-${digest}`;
}

/** The DNS record of a service: `<service>.<app>.<zone>` (zone as Route53 names it, with its trailing dot). */
export function recordNameOf(key: ServiceKey, zoneName: string): string {
  const zone = zoneName.endsWith('.') ? zoneName : `${zoneName}.`;
  return `${key.service}.${key.app}.${zone}`;
}

/**
 * Barcelona's mapping of the live ECS service onto the status the API shows, with one change: a lone PRIMARY
 * deployment still short of its desired count is `deploying`, not yet `active` (Barcelona's monitor called a
 * service deployed before its first task ran).
 */
export function serviceStatusOf(live: LiveServiceState | null): ServiceStatus {
  if (!live) return 'not_created';
  if (live.status !== 'ACTIVE') return 'inactive';
  if (live.deployments.some((deployment) => deployment.status === 'ACTIVE')) return 'deploying';
  const [only, ...others] = live.deployments;
  if (only?.status === 'PRIMARY' && others.length === 0) {
    return only.runningCount >= only.desiredCount ? 'active' : 'deploying';
  }
  return 'unknown';
}

/** A command as ECS takes it: split on spaces (Barcelona's `command.split(" ")`), none when blank. */
export function commandWordsOf(command: string | null | undefined): string[] | undefined {
  const words = (command ?? '').split(' ').filter((word) => word.length > 0);
  return words.length > 0 ? words : undefined;
}
