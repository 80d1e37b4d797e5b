import type { Command } from 'commander';
import { createDeploymentConfigParser } from '@overcast/deployment-config';
import type { CliIo } from '../cli-io';
import { ReportedFailure } from '../cli-io';
import { withExamples } from '../help-examples';
import {
  cliIncludeLoader,
  defaultDeploymentFile,
  formatErrors,
  readDeploymentFile,
  shownErrors,
} from './deployment-file';
import { runWithContext } from './run-with-context';

/** Photon's `validate`, offline: the same package and verdict as the registry's, every problem with its line. */
export function registerDeploymentValidateCommand(deployments: Command, io: CliIo): void {
  withExamples(
    deployments
      .command('validate')
      .description('check an overcast.yml offline: every problem with its path and line')
      .option('-f, --file <file>', 'the deployment file', defaultDeploymentFile),
    'overcast deployments validate',
    'overcast deployments validate -f examples/overcast.yml --json',
  ).action(
    runWithContext(io, async (context, flags: { file: string }) => {
      const { path: filePath, text } = readDeploymentFile(flags.file);
      const parser = createDeploymentConfigParser();
      try {
        const result = await parser.parse(text, {
          source: filePath,
          loadInclude: cliIncludeLoader(),
        });
        const errors = result.ok ? [] : result.errors;
        await context.print({ valid: result.ok, errors: shownErrors(errors) }, () =>
          result.ok ? `${flags.file} is valid\n` : formatErrors(errors),
        );
        if (!result.ok) throw new ReportedFailure(`${flags.file} is invalid`);
      } finally {
        await parser.close();
      }
    }),
  );
}
