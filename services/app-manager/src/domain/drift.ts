import type { DriftItem } from '@overcast/contracts';
import type { LiveServiceState } from '@overcast/providers';
import type { ReleaseRecord } from './records';
import { imagePath } from './records';

function differs(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) !== JSON.stringify(b);
}

/** `family:revision` or an ECS ARN (`…:task-definition/family:revision`) → family. */
function familyOf(taskDefinition: string): string {
  const last = taskDefinition.split('/').pop() ?? taskDefinition;
  return last.replace(/:\d+$/, '');
}

/**
 * What the provider runs for one service that differs from what `applied` set: desired count, task definition
 * family, image, command, env keys and load balancer listeners. Each item names its path.
 */
export function driftOf(
  app: string,
  applied: ReleaseRecord,
  serviceName: string,
  live: LiveServiceState | null,
): DriftItem[] {
  const service = applied.spec.services.find((candidate) => candidate.name === serviceName);
  if (!service || service.schedule) return [];
  const base = `services.${serviceName}`;
  if (!live) return [{ path: base, expected: 'created', actual: null }];
  const items: DriftItem[] = [];
  const compare = (path: string, want: unknown, have: unknown) => {
    if (differs(want, have)) items.push({ path: `${base}.${path}`, expected: want, actual: have });
  };
  compare('desired_count', service.scale, live.desiredCount);
  compare('task_definition.family', `${app}-${serviceName}`, familyOf(live.taskDefinition));
  compare('task_definition.image', imagePath(applied.spec), live.image);
  compare('task_definition.command', service.command, live.command);
  compare('task_definition.env_keys', Object.keys(applied.env).sort(), [...live.envKeys].sort());
  const wantListeners = service.portMappings.map((m) => ({ lb_port: m.lb_port, host_port: m.host_port }));
  const haveListeners = (live.loadBalancer?.listeners ?? []).map((l) => ({
    lb_port: l.lbPort,
    host_port: l.instancePort,
  }));
  if (wantListeners.length > 0 || live.loadBalancer) compare('load_balancer.listeners', wantListeners, haveListeners);
  return items;
}
