import type { Command } from 'commander';
import { Option } from 'commander';
import type { Instance, InstanceFilters, InstanceState } from '@overcast/sdk';
import type { CliIo } from '../cli-io';
import { formatTable } from '../output/format';
import { formatInstance, instanceColumns } from '../output/views';
import { parsePositiveInteger } from '../parse-options';
import { registerInstanceWaitCommand } from './instances-wait';
import { runWithContext } from './run-with-context';

const instanceStates: InstanceState[] = ['creating', 'starting', 'running', 'terminating', 'terminated', 'errored'];

interface CreateFlags {
  provider: string;
  image: string;
  instanceType?: 'standard' | 'premium';
  publicSshKey?: string;
  env?: string;
  site?: string;
  role?: string;
  queue?: string;
  idempotencyKey?: string;
}

interface ListFlags extends Omit<InstanceFilters, 'limit'> {
  limit?: number;
  all?: boolean;
}

export function registerInstanceCommands(program: Command, io: CliIo): void {
  const instances = program.command('instances').description('create, inspect, list and terminate instances');

  instances
    .command('create')
    .description('create an instance (answers at once, in state creating)')
    .requiredOption('--provider <name>', 'provider to create it on, e.g. gce')
    .requiredOption('--image <image>', "the provider's image name")
    .addOption(new Option('--instance-type <type>', 'size class').choices(['standard', 'premium']))
    .option('--public-ssh-key <key>', 'public SSH key to inject')
    .option('--env <env>', 'tag: environment')
    .option('--site <site>', 'tag: site')
    .option('--role <role>', 'tag: role')
    .option('--queue <queue>', 'tag: queue')
    .option('--idempotency-key <key>', 'makes retrying this command safe')
    .action(
      runWithContext(io, async (context, flags: CreateFlags) => {
        const { idempotencyKey, instanceType, publicSshKey, ...tags } = flags;
        const request = {
          ...tags,
          ...(instanceType === undefined ? {} : { instance_type: instanceType }),
          ...(publicSshKey === undefined ? {} : { public_ssh_key: publicSshKey }),
        };
        const options = idempotencyKey === undefined ? {} : { idempotencyKey };
        const instance = await context.client().instances.create(request, options);
        context.print(instance, () => formatInstance(instance));
      }),
    );

  instances
    .command('get')
    .description('show one instance (terminated ones too)')
    .argument('<id>', 'instance id')
    .action(
      runWithContext(io, async (context, id: string) => {
        const instance = await context.client().instances.get(id);
        context.print(instance, () => formatInstance(instance));
      }),
    );

  instances
    .command('list')
    .description('list instances, newest first')
    .option('--env <env>', 'only this environment')
    .option('--site <site>', 'only this site')
    .option('--role <role>', 'only this role')
    .option('--queue <queue>', 'only this queue')
    .option('--provider <name>', 'only this provider')
    .addOption(new Option('--state <state>', 'only this state').choices(instanceStates))
    .option('--limit <n>', 'page size (1-500)', parsePositiveInteger)
    .option('--cursor <cursor>', 'start at this page (from a previous list)')
    .option('--all', 'follow every page')
    .action(
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
        context.print({ instances: shown, next_cursor: nextCursor }, () => formatTable(instanceColumns, shown));
        if (nextCursor !== null && !context.json) context.note(`more instances: add --cursor ${nextCursor} (or --all)`);
      }),
    );

  instances
    .command('delete')
    .alias('terminate')
    .description('terminate an instance (idempotent)')
    .argument('<id>', 'instance id')
    .action(
      runWithContext(io, async (context, id: string) => {
        const instance = await context.client().instances.delete(id);
        context.print(instance, () => `instance ${instance.id} is ${instance.state}\n`);
      }),
    );

  instances
    .command('console')
    .description("print an instance's console output: boot agent lines and init script output (local provider)")
    .argument('<id>', 'instance id')
    .action(
      runWithContext(io, async (context, id: string) => {
        const text = await context.client().instances.console(id);
        // Raw, byte for byte as the instance wrote it, so it can be piped to grep or a file.
        context.print({ id, console: text }, () => text);
      }),
    );

  registerInstanceWaitCommand(instances, io);
}
