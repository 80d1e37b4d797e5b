import { sleep } from '../transport/sleep.ts';
import type { Instance, InstanceState } from '../types.ts';

export interface FollowConsoleOptions {
  /** Between polls; default 2 s. */
  intervalMs?: number;
  /** Stops following (the generator ends by throwing the abort reason). */
  signal?: AbortSignal;
  /** Called with the instance on every poll, e.g. to show its state beside the output. */
  onProgress?: (instance: Instance) => void;
}

const finalStates: ReadonlySet<InstanceState> = new Set(['terminated', 'errored']);

/** How much of the previous read is looked for in the next one to find where new output starts. */
const anchorLength = 4096;

/**
 * What `text` adds to `previous`. The API answers only the console's last 1 MiB, so once the console is longer
 * the start of the text moves on; the end of the previous read, found again, marks where the new part starts.
 */
export function newConsoleOutput(previous: string, text: string): string {
  if (text.startsWith(previous)) return text.slice(previous.length);
  const anchor = previous.slice(-anchorLength);
  const at = text.lastIndexOf(anchor);
  return at === -1 ? text : text.slice(at + anchor.length);
}

/**
 * Yields the console's output as it grows, polling like `tail -f`, and ends after the read that follows the
 * instance reaching a final state (terminated or errored), so no last line is lost.
 */
export async function* followConsole(
  readInstance: () => Promise<Instance>,
  readConsole: () => Promise<string>,
  options: FollowConsoleOptions = {},
): AsyncGenerator<string, Instance, undefined> {
  let previous = '';
  for (;;) {
    options.signal?.throwIfAborted();
    const instance = await readInstance();
    options.onProgress?.(instance);
    const text = await readConsole();
    const added = newConsoleOutput(previous, text);
    previous = text;
    if (added !== '') yield added;
    if (finalStates.has(instance.state)) return instance;
    await sleep(options.intervalMs ?? 2_000, options.signal);
  }
}
