import type { Command } from 'commander';
import { Option } from 'commander';
import type { InstanceBuildInput } from '@overcast/sdk';
import type { CliIo } from '../cli-io';
import { formatBuild } from '../output/views';
import { parsePositiveInteger } from '../parse-options';
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
}

export function registerBuildCommands(program: Command, io: CliIo): void {
  const builds = program.command('builds').description('start and inspect instance builds');

  builds
    .command('create')
    .description('start a build of instances that boot with an init script')
    .requiredOption('--site <site>', 'site, e.g. org')
    .requiredOption('--env <env>', 'environment, e.g. staging')
    .requiredOption('--queue <queue>', 'queue the instances serve, e.g. docker')
    .requiredOption('--role <role>', 'role, e.g. worker; picks the active image when --image is absent')
    .option('--count <n>', 'how many instances', parsePositiveInteger, 1)
    .addOption(new Option('--instance-type <type>', 'size class').choices(['standard', 'premium']).default('standard'))
    .option('--provider <name>', "provider (default: the operator's)")
    .option('--image <image>', 'image (default: the newest active image for the role)')
    .option('--slack-channel <channel>', 'where to announce progress')
    .option('--no-boot', 'only prepare the init script, start nothing')
    .action(
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
        const build = await context.client().builds.create(input);
        context.print(build, () => formatBuild(build));
      }),
    );

  builds
    .command('get')
    .description('show one instance build')
    .argument('<id>', 'instance build id')
    .action(
      runWithContext(io, async (context, id: string) => {
        const build = await context.client().builds.get(id);
        context.print(build, () => formatBuild(build));
      }),
    );
}
