import type { Command } from 'commander';
import type { CliIo } from '../cli-io';
import { withExamples } from '../help-examples';
import { formatTable } from '../output/format';
import { runWithContext } from './run-with-context';

export function registerStatusCommand(program: Command, io: CliIo): void {
  withExamples(
    program.command('status').description('show whether each Overcast service is up'),
    'overcast status',
    'overcast status --json --jq \'.services[] | select(.status != "up") | .service\'',
  ).action(
    runWithContext(io, async (context) => {
      const status = await context.client().status();
      await context.print(
        status,
        () =>
          `overcast is ${status.status}\n` +
          formatTable(
            [
              { header: 'SERVICE', value: (service) => service.service },
              { header: 'STATUS', value: (service) => service.status },
              {
                header: 'LATENCY',
                value: (service) => (service.latency_ms === undefined ? undefined : `${service.latency_ms}ms`),
              },
            ],
            status.services,
          ),
        { fields: ['status', 'services'] },
      );
    }),
  );
}
