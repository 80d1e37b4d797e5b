import type { Command } from 'commander';
import { Option } from 'commander';
import type { Instance, InstanceState } from '@overcast/sdk';
import type { CliIo } from '../cli-io';
import type { CommandContext } from '../command-context';
import { withExamples } from '../help-examples';
import { instanceFields } from '../output/json-fields';
import { formatInstance } from '../output/views';
import { parseSeconds } from '../parse-options';
import { runWithContext } from './run-with-context';

interface WaitFlags {
  state: InstanceState;
  timeout: number;
  interval: number;
}

/** Waits with a spinner (terminal) or a line per state change (elsewhere); shared by `wait` and `create --wait`. */
export async function waitForInstanceShowingProgress(
  context: CommandContext,
  id: string,
  state: InstanceState,
  timing: { timeout: number; interval: number },
): Promise<Instance> {
  const progress = context.progress();
  try {
    const instance = await context.client().instances.waitFor(id, state, {
      timeoutMs: timing.timeout * 1000,
      intervalMs: timing.interval * 1000,
      onProgress: (current) => progress.update(`${id}: ${current.state}`),
    });
    progress.done(`${id}: ${instance.state}`);
    return instance;
  } catch (error) {
    progress.stop();
    throw error;
  }
}

export function registerInstanceWaitCommand(instances: Command, io: CliIo): void {
  withExamples(
    instances
      .command('wait')
      .description('wait until an instance reaches a state, showing its progress')
      .argument('<id>', 'instance id')
      .addOption(
        new Option('--state <state>', 'the state to wait for').choices(['running', 'terminated']).default('running'),
      )
      .option('--timeout <seconds>', 'give up after this long', parseSeconds, 600)
      .option('--interval <seconds>', 'time between polls', parseSeconds, 2),
    'overcast instances wait 0d654ef4-75b9-49a6-9f90-f9b1ae3501fc',
    'overcast instances wait 0d654ef4-75b9-49a6-9f90-f9b1ae3501fc --state terminated --timeout 120',
  ).action(
    runWithContext(io, async (context, id: string, flags: WaitFlags) => {
      const instance = await waitForInstanceShowingProgress(context, id, flags.state, flags);
      await context.print(instance, () => formatInstance(instance), { fields: instanceFields });
    }),
  );
}
