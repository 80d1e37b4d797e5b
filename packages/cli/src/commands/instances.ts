import type { Command } from 'commander';
import { Option } from 'commander';
import type { Instance, InstanceFilters, InstanceState } from '@overcast/sdk';
import type { CliIo } from '../cli-io';
import { withExamples } from '../help-examples';
import { formatTable } from '../output/format';
import { instanceFields } from '../output/json-fields';
import { formatInstance, instanceColumns } from '../output/views';
import { parsePositiveInteger, parseSeconds } from '../parse-options';
import { followInstanceConsole } from './instances-console';
import { registerInstanceWaitCommand, waitForInstanceShowingProgress } from './instances-wait';
import { runWithContext } from './run-with-context';

const instanceStates: InstanceState[] = ['creating', 'starting', 'running', 'terminating', 'terminated', 'errored'];

interface CreateFlags {
  provider: string;
  image: string;
  instanceType?: string;
  publicSshKey?: string;
  env?: string;
  site?: string;
  role?: string;
  queue?: string;
  idempotencyKey?: string;
  wait?: boolean;
  timeout: number;
  interval: number;
}

interface ListFlags extends Omit<InstanceFilters, 'limit'> {
  limit?: number;
  all?: boolean;
}

export function registerInstanceCommands(program: Command, io: CliIo): void {
  const instances = withExamples(
    program.command('instances').description('create, inspect, list and terminate instances'),
    'overcast instances create --provider local --image debian-local --wait',
    'overcast instances list --state running --json id,ip_address',
  );

  withExamples(
    instances
      .command('create')
      .description('create an instance (answers at once, in state creating, unless --wait)')
      .requiredOption('--provider <name>', 'provider to create it on, e.g. gce')
      .requiredOption('--image <image>', "an image of the provider's catalog (overcast images list)")
      .addOption(
        new Option(
          '--instance-type <type>',
          "standard (default), premium, or the provider's own machine type (c3.2xlarge on aws, n1-standard-4 on gce)",
        ),
      )
      .option('--public-ssh-key <key>', 'public SSH key to inject')
      .option('--env <env>', 'tag: environment')
      .option('--site <site>', 'tag: site')
      .option('--role <role>', 'tag: role')
      .option('--queue <queue>', 'tag: queue')
      .option('--idempotency-key <key>', 'makes retrying this command safe (default: a new key per run)')
      .option('--wait', 'wait until the instance is running, showing its progress')
      .option('--timeout <seconds>', 'with --wait: give up after this long', parseSeconds, 600)
      .option('--interval <seconds>', 'with --wait: time between polls', parseSeconds, 2),
    'overcast instances create --provider gce --image image-2016-01-01 --env staging',
    'overcast instances create --provider local --image debian-local --wait --json id,ip_address',
  ).action(
    runWithContext(io, async (context, flags: CreateFlags) => {
      const { idempotencyKey, instanceType, publicSshKey, wait, timeout, interval, ...tags } = flags;
      const request = {
        ...tags,
        ...(instanceType === undefined ? {} : { instance_type: instanceType }),
        ...(publicSshKey === undefined ? {} : { public_ssh_key: publicSshKey }),
      };
      const client = context.client();
      let instance = await client.instances.create(request, idempotencyKey === undefined ? {} : { idempotencyKey });
      if (wait) instance = await waitForInstanceShowingProgress(context, instance.id, 'running', { timeout, interval });
      await context.print(instance, () => formatInstance(instance), { fields: instanceFields });
    }),
  );

  withExamples(
    instances.command('get').description('show one instance (terminated ones too)').argument('<id>', 'instance id'),
    'overcast instances get 0d654ef4-75b9-49a6-9f90-f9b1ae3501fc',
    'overcast instances get 0d654ef4-75b9-49a6-9f90-f9b1ae3501fc --json state --jq .state',
  ).action(
    runWithContext(io, async (context, id: string) => {
      const instance = await context.client().instances.get(id);
      await context.print(instance, () => formatInstance(instance), { fields: instanceFields });
    }),
  );

  withExamples(
    instances
      .command('list')
      .description('list instances, newest first (terminated ones only with --state terminated)')
      .option('--env <env>', 'only this environment')
      .option('--site <site>', 'only this site')
      .option('--role <role>', 'only this role')
      .option('--queue <queue>', 'only this queue')
      .option('--provider <name>', 'only this provider')
      .addOption(
        new Option('--state <state>', 'only this state (else every state but terminated)').choices(instanceStates),
      )
      .option('--limit <n>', 'page size (1-500)', parsePositiveInteger)
      .option('--cursor <cursor>', 'start at this page (from a previous list)')
      .option('--all', 'follow every page'),
    'overcast instances list --env staging',
    'overcast instances list --all --json id,state --jq \'.[] | select(.state == "running") | .id\'',
  ).action(
    runWithContext(io, async (context, flags: ListFlags) => {
      const { all, ...filters } = flags;
      const api = context.client().instances;
      let shown: Instance[];
      let nextCursor: string | null = null;
      if (all) {
        shown = [];
        for await (const instance of api.all(filters)) shown.push(instance);
      } else {
        const page = await api.list(filters);
        shown = page.instances;
        nextCursor = page.next_cursor;
      }
      await context.print({ instances: shown, next_cursor: nextCursor }, () => formatTable(instanceColumns, shown), {
        fields: instanceFields,
        list: shown,
      });
      if (nextCursor !== null && !context.json) context.note(`more instances: add --cursor ${nextCursor} (or --all)`);
    }),
  );

  withExamples(
    instances
      .command('delete')
      .alias('terminate')
      .description('terminate an instance (idempotent)')
      .argument('<id>', 'instance id'),
    'overcast instances delete 0d654ef4-75b9-49a6-9f90-f9b1ae3501fc',
  ).action(
    runWithContext(io, async (context, id: string) => {
      const instance = await context.client().instances.delete(id);
      await context.print(instance, () => `instance ${instance.id} is ${instance.state}\n`, { fields: instanceFields });
    }),
  );

  withExamples(
    instances
      .command('console')
      .description("print an instance's console output: boot agent lines and init script output (local provider)")
      .argument('<id>', 'instance id')
      .option('--follow', 'keep printing new output until the instance is terminated (Ctrl-C stops)')
      .option('--interval <seconds>', 'with --follow: time between polls', parseSeconds, 2),
    'overcast instances console 0d654ef4-75b9-49a6-9f90-f9b1ae3501fc',
    'overcast instances console 0d654ef4-75b9-49a6-9f90-f9b1ae3501fc --follow',
  ).action(
    runWithContext(io, async (context, id: string, flags: { follow?: boolean; interval: number }) => {
      if (flags.follow) {
        await followInstanceConsole(context, id, flags.interval);
        return;
      }
      const text = await context.client().instances.console(id);
      // Raw, byte for byte as the instance wrote it, so it can be piped to grep or a file.
      await context.print({ id, console: text }, () => text, { fields: ['id', 'console'] });
    }),
  );

  registerInstanceWaitCommand(instances, io);
}
