import { InstanceWaitError } from '../errors/wait-errors.ts';
import type { Instance, InstanceState } from '../types.ts';
import type { WaitOptions } from './poll-until.ts';
import { pollUntil } from './poll-until.ts';

export type WaitForInstanceOptions = WaitOptions<Instance>;

/** Once an instance is here it never moves on, so waiting for anything else is pointless. */
const finalStates: ReadonlySet<InstanceState> = new Set(['terminated', 'errored']);

export function waitForInstance(
  read: () => Promise<Instance>,
  wanted: InstanceState | InstanceState[],
  options: WaitForInstanceOptions = {},
): Promise<Instance> {
  const targets = new Set(Array.isArray(wanted) ? wanted : [wanted]);
  const wantedText = [...targets].join(' or ');
  return pollUntil(
    {
      read,
      isDone: (instance) => targets.has(instance.state),
      whyNever(instance) {
        const stuck =
          finalStates.has(instance.state) || (instance.state === 'terminating' && !targets.has('terminated'));
        if (!stuck) return undefined;
        const reason = instance.error_reason ? ` (${instance.error_reason})` : '';
        return `instance ${instance.id} is ${instance.state}${reason} and will never be ${wantedText}`;
      },
      stillWaiting: (instance) => `instance ${instance.id} is still ${instance.state} after waiting for ${wantedText}`,
      stateOf: (instance) => instance.state,
      fail: (message, reason, lastState) => new InstanceWaitError(message, reason, lastState),
    },
    options,
  );
}
