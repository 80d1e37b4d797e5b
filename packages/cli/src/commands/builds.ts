import type { Command } from 'commander';
import { Option } from 'commander';
import type { InstanceBuild, InstanceBuildInput, InstanceBuildState } from '@overcast/sdk';
import type { CliIo } from '../cli-io';
import type { CommandContext } from '../command-context';
import { withExamples } from '../help-examples';
import { buildFields } from '../output/json-fields';
import { formatBuild } from '../output/views';
import { parsePositiveInteger, parseSeconds } from '../parse-options';
import { waitForInstanceShowingProgress } from './instances-wait';
import { runWithContext } from './run-with-context';

interface CreateBuildFlags {
  site: string;
  env: string;
  queue: string;
  role: string;
  count: number;
  instanceType: string;
  provider?: string;
  image?: string;
  slackChannel?: string;
  boot: boolean;
  wait?: boolean;
  timeout: number;
  interval: number;
}

interface WaitFlags {
  state: 'started' | 'finished';
  timeout: number;
  interval: number;
}

/** A finished build has started too: waiting for `started` is satisfied by either. */
const statesMeaning: Record<WaitFlags['state'], InstanceBuildState[]> = {
  started: ['started', 'finished'],
  finished: ['finished'],
};

function describeBuildProgress(build: InstanceBuild): string {
  const booted = build.instance_ids.length > 0 ? `instance ${build.instance_ids.join(', ')}` : 'no instance yet';
  return `build ${build.id}: ${build.state}, ${booted} (VM concurrency ${build.count})`;
}

async function waitForBuildShowingProgress(
  context: CommandContext,
  id: string,
  state: WaitFlags['state'],
  timing: { timeout: number; interval: number },
): Promise<InstanceBuild> {
  const progress = context.progress();
  try {
    const build = await context.client().builds.waitFor(id, statesMeaning[state], {
      timeoutMs: timing.timeout * 1000,
      intervalMs: timing.interval * 1000,
      onProgress: (current) => progress.update(describeBuildProgress(current)),
    });
    progress.done(describeBuildProgress(build));
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
      .option(
        '--count <n>',
        "the worker's VM concurrency, given to the init script (one instance boots)",
        parsePositiveInteger,
        1,
      )
      .addOption(
        new Option(
          '--instance-type <type>',
          "standard, premium, or the provider's own machine type (c3.2xlarge on aws, n1-standard-4 on gce)",
        ).default('standard'),
      )
      .option('--provider <name>', "provider (default: the operator's)")
      .option('--image <image>', "an image of the provider's catalog (default: the role's newest active image)")
      .option('--slack-channel <channel>', 'where to announce progress')
      .option('--no-boot', 'only prepare the init script, start nothing')
      .option('--wait', "wait until the build's instances are running, showing its progress")
      .option('--timeout <seconds>', 'with --wait: give up after this long', parseSeconds, 600)
      .option('--interval <seconds>', 'with --wait: time between polls', parseSeconds, 2),
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
      if (flags.wait) {
        const deadline = Date.now() + flags.timeout * 1000;
        build = await waitForBuildShowingProgress(context, build.id, 'started', flags);
        // Started means its instances exist; what the user waits for is their being up.
        for (const instanceId of build.instance_ids) {
          const remaining = Math.max(1, (deadline - Date.now()) / 1000);
          await waitForInstanceShowingProgress(context, instanceId, 'running', { ...flags, timeout: remaining });
        }
      }
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
        new Option('--state <state>', 'started: its instances exist; finished: they reported in')
          .choices(['started', 'finished'])
          .default('started'),
      )
      .option('--timeout <seconds>', 'give up after this long', parseSeconds, 600)
      .option('--interval <seconds>', 'time between polls', parseSeconds, 2),
    'overcast builds wait 5f1a0e7c-4c6a-4e0a-9a53-2f3b8c1d9e01',
    'overcast builds wait 5f1a0e7c-4c6a-4e0a-9a53-2f3b8c1d9e01 --state finished --timeout 300 --json instance_ids',
  ).action(
    runWithContext(io, async (context, id: string, flags: WaitFlags) => {
      const build = await waitForBuildShowingProgress(context, id, flags.state, flags);
      await context.print(build, () => formatBuild(build), { fields: buildFields });
    }),
  );
}
