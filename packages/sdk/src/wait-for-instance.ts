import { InstanceWaitError } from './errors';
import type { Instance, InstanceState } from './types';

export interface WaitForInstanceOptions {
  /** Called after every poll with the instance as it is now. */
  onProgress?: (instance: Instance) => void;
  /** Between polls; default 2 s. */
  intervalMs?: number;
  /** Give up after this long; default 10 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Once an instance is here it never moves on, so waiting for anything else is pointless. */
const finalStates: ReadonlySet<InstanceState> = new Set(['terminated', 'errored']);

export async function waitForInstance(
  fetchInstance: () => Promise<Instance>,
  wanted: InstanceState | InstanceState[],
  options: WaitForInstanceOptions = {},
): Promise<Instance> {
  const targets = new Set(Array.isArray(wanted) ? wanted : [wanted]);
  const intervalMs = options.intervalMs ?? 2_000;
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  let last: Instance | undefined;
  for (;;) {
    options.signal?.throwIfAborted();
    last = await fetchInstance();
    options.onProgress?.(last);
    if (targets.has(last.state)) return last;
    if (finalStates.has(last.state) || (last.state === 'terminating' && !targets.has('terminated'))) {
      const reason = last.error_reason ? ` (${last.error_reason})` : '';
      throw new InstanceWaitError(
        `instance ${last.id} is ${last.state}${reason} and will never be ${[...targets].join(' or ')}`,
        'unreachable',
        last.state,
      );
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new InstanceWaitError(
        `instance ${last.id} is still ${last.state} after waiting for ${[...targets].join(' or ')}`,
        'timeout',
        last.state,
      );
    }
    // The last poll lands on the deadline rather than a whole interval past it.
    await sleep(Math.min(intervalMs, remaining), options.signal);
  }
}

function sleep(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, milliseconds);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      },
      { once: true },
    );
  });
}
