import { setTimeout } from 'node:timers/promises';

/** Waits, or rejects with the signal's own reason when it aborts (not Node's generic AbortError). */
export async function sleep(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await setTimeout(milliseconds, undefined, signal ? { signal } : {});
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw error;
  }
}
