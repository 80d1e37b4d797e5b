import type { Command } from 'commander';
import { Option } from 'commander';
import type { InstanceState } from '@overcast/sdk';
import type { CliIo } from '../cli-io';
import { formatInstance } from '../output/views';
import { parseSeconds } from '../parse-options';
import { runWithContext } from './run-with-context';

interface WaitFlags {
  state: InstanceState;
  timeout: number;
  interval: number;
}

export function registerInstanceWaitCommand(instances: Command, io: CliIo): void {
  instances
    .command('wait')
    .description('wait until an instance reaches a state, showing its progress')
    .argument('<id>', 'instance id')
    .addOption(
      new Option('--state <state>', 'the state to wait for').choices(['running', 'terminated']).default('running'),
    )
    .option('--timeout <seconds>', 'give up after this long', parseSeconds, 600)
    .option('--interval <seconds>', 'time between polls', parseSeconds, 2)
    .action(
      runWithContext(io, async (context, id: string, flags: WaitFlags) => {
        let lastState: string | undefined;
        const started = Date.now();
        const instance = await context.client().instances.waitFor(id, flags.state, {
          timeoutMs: flags.timeout * 1000,
          intervalMs: flags.interval * 1000,
          onProgress: (current) => {
            if (current.state === lastState) return;
            lastState = current.state;
            const elapsed = ((Date.now() - started) / 1000).toFixed(0);
            context.note(`${id}: ${current.state} (${elapsed}s)`);
          },
        });
        context.print(instance, () => formatInstance(instance));
      }),
    );
}
