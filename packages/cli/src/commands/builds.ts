import type { Command } from 'commander';
import { Option } from 'commander';
import type { InstanceBuild, InstanceBuildInput, InstanceBuildState } from '@overcast/sdk';
import type { CliIo } from '../cli-io';
import type { CommandContext } from '../command-context';
import { withExamples } from '../help-examples';
import { buildFields } from '../output/json-fields';
import { formatBuild } from '../output/views';
import { parsePositiveInteger, parseSeconds } from '../parse-options';
import { runWithContext } from './run-with-context';

interface CreateBuildFlags {
  site: string;
  env: string;
  queue: string;
  role: string;
  count: number;
  instanceType: 'standard' | 'premium';
  provider?: string;
  image?: string;
  slackChannel?: string;
  boot: boolean;
  wait?: boolean;
  timeout: number;
}

interface WaitFlags {
  state: InstanceBuildState;
  timeout: number;
  interval: number;
}

async function waitForBuildShowingProgress(
  context: CommandContext,
  id: string,
  state: InstanceBuildState,
  timing: { timeout: number; interval: number },
): Promise<InstanceBuild> {
  const progress = context.progress();
  try {
    const build = await context.client().builds.waitFor(id, state, {
      timeoutMs: timing.timeout * 1000,
      intervalMs: timing.interval * 1000,
      onProgress: (current) =>
        progress.update(`build ${id}: ${current.state}, ${current.instance_ids.length}/${current.count} instances`),
    });
    progress.done(`build ${id}: ${build.state}`);
    return build;
  } catch (error) {
    progress.stop();
    throw error;
  }
}

export function registerBuildCommands(program: Command, io: CliIo): void {
  const builds = withExamples(
    program.command('builds').description('start, inspect and wait for instance builds'),
    'overcast builds create --site org --env staging --queue docker --role worker --wait',
  );

  withExamples(
    builds
      .command('create')
      .description('start a build of instances that boot with an init script')
      .requiredOption('--site <site>', 'site, e.g. org')
      .requiredOption('--env <env>', 'environment, e.g. staging')
      .requiredOption('--queue <queue>', 'queue the instances serve, e.g. docker')
      .requiredOption('--role <role>', 'role, e.g. worker; picks the active image when --image is absent')
      .option('--count <n>', 'how many instances', parsePositiveInteger, 1)
      .addOption(
        new Option('--instance-type <type>', 'size class').choices(['standard', 'premium']).default('standard'),
      )
      .option('--provider <name>', "provider (default: the operator's)")
      .option('--image <image>', 'image (default: the newest active image for the role)')
      .option('--slack-channel <channel>', 'where to announce progress')
      .option('--no-boot', 'only prepare the init script, start nothing')
      .option('--wait', 'wait until the build has finished, showing its progress')
      .option('--timeout <seconds>', 'with --wait: give up after this long', parseSeconds, 600),
    'overcast builds create --site org --env staging --queue docker --role worker --count 2',
    'overcast builds create --site org --env staging --queue docker --role worker --wait --json id,state',
  ).action(
    runWithContext(io, async (context, flags: CreateBuildFlags) => {
      const input: InstanceBuildInput = {
        site: flags.site,
        env: flags.env,
        queue: flags.queue,
        role: flags.role,
        count: flags.count,
        instance_type: flags.instanceType,
        boot_instance: flags.boot,
        ...(flags.provider === undefined ? {} : { provider: flags.provider }),
        ...(flags.image === undefined ? {} : { image: flags.image }),
        ...(flags.slackChannel === undefined ? {} : { slack_channel: flags.slackChannel }),
      };
      let build = await context.client().builds.create(input);
      if (flags.wait)
        build = await waitForBuildShowingProgress(context, build.id, 'finished', {
          timeout: flags.timeout,
          interval: 2,
        });
      await context.print(build, () => formatBuild(build), { fields: buildFields });
    }),
  );

  withExamples(
    builds.command('get').description('show one instance build').argument('<id>', 'instance build id'),
    'overcast builds get 5f1a0e7c-4c6a-4e0a-9a53-2f3b8c1d9e01',
  ).action(
    runWithContext(io, async (context, id: string) => {
      const build = await context.client().builds.get(id);
      await context.print(build, () => formatBuild(build), { fields: buildFields });
    }),
  );

  withExamples(
    builds
      .command('wait')
      .description('wait until an instance build reaches a state, showing its progress')
      .argument('<id>', 'instance build id')
      .addOption(
        new Option('--state <state>', 'the state to wait for').choices(['started', 'finished']).default('finished'),
      )
      .option('--timeout <seconds>', 'give up after this long', parseSeconds, 600)
      .option('--interval <seconds>', 'time between polls', parseSeconds, 2),
    'overcast builds wait 5f1a0e7c-4c6a-4e0a-9a53-2f3b8c1d9e01',
    'overcast builds wait 5f1a0e7c-4c6a-4e0a-9a53-2f3b8c1d9e01 --timeout 300 --json instance_ids',
  ).action(
    runWithContext(io, async (context, id: string, flags: WaitFlags) => {
      const build = await waitForBuildShowingProgress(context, id, flags.state, flags);
      await context.print(build, () => formatBuild(build), { fields: buildFields });
    }),
  );
}
