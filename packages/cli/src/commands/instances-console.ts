import type { CommandContext } from '../command-context';

/**
 * `instances console --follow`: the output as it comes, raw on stdout (so it pipes like `tail -f`); the instance's
 * state changes go to stderr. Ends when the instance is terminated or errored, or on Ctrl-C.
 */
export async function followInstanceConsole(
  context: CommandContext,
  id: string,
  intervalSeconds: number,
): Promise<void> {
  const controller = new AbortController();
  const stop = () => controller.abort(new Error('stopped'));
  process.once('SIGINT', stop);
  let lastState: string | undefined;
  try {
    const follow = context.client().instances.followConsole(id, {
      intervalMs: intervalSeconds * 1000,
      signal: controller.signal,
      onProgress: (instance) => {
        if (instance.state !== lastState) context.note(`${id}: ${instance.state}`);
        lastState = instance.state;
      },
    });
    for await (const output of follow) context.io.stdout(output);
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    process.off('SIGINT', stop);
  }
}
