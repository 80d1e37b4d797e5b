import type { Command } from 'commander';
import type { CliIo } from '../cli-io';
import { UsageError } from '../cli-io';
import { withExamples } from '../help-examples';
import { formatTable } from '../output/format';
import { deploymentSummaryFields } from '../output/registry-json-fields';
import { deploymentColumns, formatDeployment, formatEvent, formatMatches, formatPlan } from '../output/registry-views';
import {
  defaultDeploymentFile,
  deploymentIdFor,
  readDeploymentFile,
  readDeploymentSource,
  recordDeployment,
} from './deployment-file';
import { registerDeploymentValidateCommand } from './deployments-validate';
import { runWithContext } from './run-with-context';

const photonEvents = [
  'cluster.created',
  'cluster.down',
  'cluster.node.created',
  'cluster.node.down',
  'deploy.begin',
  'deploy.complete',
  'deploy.failure',
];

interface FileFlags {
  file: string;
}

/** Photon's `photon` verbs over the registry: validate, create, list, search, update, delete, status, notify, events. */
export function registerDeploymentCommands(program: Command, io: CliIo): void {
  const deployments = withExamples(
    program.command('deployments').description('deployments described by an overcast.yml (Photon)'),
    'overcast deployments create -f examples/overcast.yml',
    'overcast deployments status',
  );
  const fileOption = (command: Command) =>
    command.option('-f, --file <file>', 'the deployment file', defaultDeploymentFile);

  registerDeploymentValidateCommand(deployments, io);

  withExamples(
    fileOption(deployments.command('create').description('create a deployment: placed and started at once')),
    'overcast deployments create -f examples/overcast.yml',
  ).action(
    runWithContext(io, async (context, flags: FileFlags) => {
      const file = await readDeploymentSource(io, flags.file);
      const deployment = await context.client().deployments.create(file.text);
      recordDeployment(io, context.settings.url, file.path, deployment.id);
      await context.print(deployment, () => formatDeployment(deployment));
      if (!context.json) context.note(`follow it: overcast deployments events ${deployment.id}`);
    }),
  );

  withExamples(deployments.command('list').description('list deployments'), 'overcast deployments list').action(
    runWithContext(io, async (context) => {
      const list = await context.client().deployments.list();
      await context.print({ deployments: list }, () => formatTable(deploymentColumns, list), {
        fields: deploymentSummaryFields,
        list,
      });
    }),
  );

  withExamples(
    fileOption(deployments.command('search').description('the datacenters that match each entry, cheapest first')),
    'overcast deployments search -f examples/overcast.yml',
  ).action(
    runWithContext(io, async (context, flags: FileFlags) => {
      const result = await context.client().datacenters.match((await readDeploymentSource(io, flags.file)).text);
      if (!result.valid) throw new UsageError(`${flags.file} is invalid: run overcast deployments validate`);
      await context.print(result, () => formatMatches(result.matches));
    }),
  );

  withExamples(
    fileOption(
      deployments
        .command('status')
        .description('per service and datacenter: desired and running nodes, endpoints')
        .argument('[id]', 'deployment id (default: the one created from the file)'),
    ),
    'overcast deployments status',
    'overcast deployments status 7c0e4b8a-2f1d-4e3a-9b6c-5d4e3f2a1b0c --json',
  ).action(
    runWithContext(io, async (context, id: string | undefined, flags: FileFlags) => {
      const deployment = await context
        .client()
        .deployments.get(deploymentIdFor(io, context.settings.url, id, flags.file));
      await context.print(deployment, () => formatDeployment(deployment));
    }),
  );

  withExamples(
    fileOption(
      deployments
        .command('update')
        .description('apply a changed file: shows the plan (add, move, remove) and asks before applying')
        .argument('[id]', 'deployment id (default: the one created from the file)')
        .option('--yes', 'apply without asking')
        .option('--dry-run', 'show the plan only'),
    ),
    'overcast deployments update -f overcast.yml',
    'overcast deployments update --yes',
  ).action(
    runWithContext(
      io,
      async (context, id: string | undefined, flags: FileFlags & { yes?: boolean; dryRun?: boolean }) => {
        const file = await readDeploymentSource(io, flags.file);
        const deploymentId = deploymentIdFor(io, context.settings.url, id, flags.file);
        const api = context.client().deployments;
        const { plan } = await api.update(deploymentId, file.text, { dryRun: true });
        if (flags.dryRun) return context.print({ plan }, () => formatPlan(plan));
        if (!flags.yes) {
          io.stderr(formatPlan(plan));
          if (!io.confirm) throw new UsageError('not a terminal to ask on: add --yes to apply the plan');
          if (!(await io.confirm('apply this plan?'))) return context.note('nothing changed');
        }
        const applied = await api.update(deploymentId, file.text);
        await context.print(applied, () => formatPlan(applied.plan));
      },
    ),
  );

  withExamples(
    fileOption(
      deployments
        .command('delete')
        .description('delete a deployment; its nodes are stopped')
        .argument('[id]', 'deployment id (default: the one created from the file)'),
    ),
    'overcast deployments delete',
  ).action(
    runWithContext(io, async (context, id: string | undefined, flags: FileFlags) => {
      const deploymentId = deploymentIdFor(io, context.settings.url, id, flags.file);
      await context.client().deployments.delete(deploymentId);
      if (id === undefined) recordDeployment(io, context.settings.url, readDeploymentFile(flags.file).path, undefined);
      await context.print({ deleted: deploymentId }, () => `deployment ${deploymentId} deleted\n`);
    }),
  );

  withExamples(
    fileOption(
      deployments
        .command('notify')
        .description("send an event to the file's notifications (all that listen, or the one named)")
        .argument('[notification]', 'a notification name of the file')
        .option('--event <event>', `one of ${photonEvents.join(', ')}`, 'deploy.complete')
        .option('--id <id>', 'deployment id (default: the one created from the file)'),
    ),
    'overcast deployments notify ops --event deploy.failure',
  ).action(
    runWithContext(
      io,
      async (context, notification: string | undefined, flags: FileFlags & { event: string; id?: string }) => {
        const deploymentId = deploymentIdFor(io, context.settings.url, flags.id, flags.file);
        const result = await context.client().deployments.notify(deploymentId, {
          ...(notification === undefined ? {} : { notification }),
          event: flags.event as 'deploy.complete',
        });
        await context.print(
          result,
          () => `${result.event} sent to ${result.notified.join(', ') || 'no notification'}\n`,
        );
      },
    ),
  );

  withExamples(
    fileOption(
      deployments
        .command('events')
        .description("follow a deployment's events (Ctrl-C stops)")
        .argument('[id]', 'deployment id (default: the one created from the file)')
        .option('--no-follow', 'print the events so far and stop'),
    ),
    'overcast deployments events 7c0e4b8a-2f1d-4e3a-9b6c-5d4e3f2a1b0c',
  ).action(
    runWithContext(io, async (context, id: string | undefined, flags: FileFlags & { follow: boolean }) => {
      const deploymentId = deploymentIdFor(io, context.settings.url, id, flags.file);
      const events = context.client().deployments.events(deploymentId, {
        follow: flags.follow,
        ...(io.signal ? { signal: io.signal } : {}),
      });
      for await (const event of events) {
        io.stdout(context.json ? `${JSON.stringify(event)}\n` : formatEvent(event));
      }
    }),
  );
}
