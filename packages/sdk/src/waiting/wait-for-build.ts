import { BuildWaitError } from '../errors/wait-errors.ts';
import type { InstanceBuild, InstanceBuildState } from '../types.ts';
import type { WaitOptions } from './poll-until.ts';
import { pollUntil } from './poll-until.ts';

export type WaitForBuildOptions = WaitOptions<InstanceBuild>;

/** A build that finished or errored stays so. */
const finalStates: ReadonlySet<InstanceBuildState> = new Set(['finished', 'errored']);

export function waitForBuild(
  read: () => Promise<InstanceBuild>,
  wanted: InstanceBuildState | InstanceBuildState[],
  options: WaitForBuildOptions = {},
): Promise<InstanceBuild> {
  const targets = new Set(Array.isArray(wanted) ? wanted : [wanted]);
  const wantedText = [...targets].join(' or ');
  return pollUntil(
    {
      read,
      isDone: (build) => targets.has(build.state),
      whyNever: (build) =>
        finalStates.has(build.state)
          ? `instance build ${build.id} is ${build.state} and will never be ${wantedText}`
          : undefined,
      stillWaiting: (build) => `instance build ${build.id} is still ${build.state} after waiting for ${wantedText}`,
      stateOf: (build) => build.state,
      fail: (message, reason, lastState) => new BuildWaitError(message, reason, lastState),
    },
    options,
  );
}
