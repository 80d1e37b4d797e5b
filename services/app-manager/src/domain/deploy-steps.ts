import { createHash } from 'node:crypto';
import type { ReleaseSpec } from './records';

export type DeployStep =
  | { kind: 'begin' }
  | { kind: 'before_deploy'; command: string }
  | { kind: 'service'; service: string }
  | { kind: 'monitor' };

/**
 * A deploy's steps, fixed by its release: a deploy row stores only the index of the next one, so a deploy resumed
 * on any replica after a crash runs exactly the steps that were not committed.
 */
export function deployStepsOf(spec: ReleaseSpec): DeployStep[] {
  return [
    { kind: 'begin' },
    ...(spec.beforeDeploy ? [{ kind: 'before_deploy' as const, command: spec.beforeDeploy }] : []),
    ...spec.services.map((service) => ({ kind: 'service' as const, service: service.name })),
    { kind: 'monitor' },
  ];
}

/** The client token of one step of one deploy (ECS allows 36 characters): the same on every retry of the step. */
export function clientTokenOf(deployId: string, step: string): string {
  return createHash('sha256').update(`${deployId}:${step}`).digest('hex').slice(0, 36);
}
