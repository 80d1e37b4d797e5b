import { sleep } from '../transport/sleep.ts';
import type { WaitError } from '../errors/wait-errors.ts';

export interface WaitOptions<Resource> {
  /** Called after every poll with the resource as it is now. */
  onProgress?: (resource: Resource) => void;
  /** Between polls; default 2 s. */
  intervalMs?: number;
  /** Give up after this long; default 10 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface PollPlan<Resource> {
  read(): Promise<Resource>;
  isDone(resource: Resource): boolean;
  /** A message when the resource can never become done (a final state), else undefined. */
  whyNever(resource: Resource): string | undefined;
  /** The message when the deadline passed. */
  stillWaiting(resource: Resource): string;
  stateOf(resource: Resource): string;
  fail(message: string, reason: 'timeout' | 'unreachable', lastState: string): WaitError;
}

/** Reads until done, reporting each read; the last poll lands on the deadline rather than an interval past it. */
export async function pollUntil<Resource>(plan: PollPlan<Resource>, options: WaitOptions<Resource>): Promise<Resource> {
  const intervalMs = options.intervalMs ?? 2_000;
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  for (;;) {
    options.signal?.throwIfAborted();
    const current = await plan.read();
    options.onProgress?.(current);
    if (plan.isDone(current)) return current;
    const never = plan.whyNever(current);
    if (never !== undefined) throw plan.fail(never, 'unreachable', plan.stateOf(current));
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw plan.fail(plan.stillWaiting(current), 'timeout', plan.stateOf(current));
    await sleep(Math.min(intervalMs, remaining), options.signal);
  }
}
