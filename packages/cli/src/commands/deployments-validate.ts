import path from 'node:path';
import type { Command } from 'commander';
import { createDeploymentConfigParser, createIncludeLoader } from '@overcast/deployment-config';
import type { CliIo } from '../cli-io';
import { ReportedFailure } from '../cli-io';
import { withExamples } from '../help-examples';
import { defaultDeploymentFile, readDeploymentFile } from './deployment-file';
import { runWithContext } from './run-with-context';

// Includes the CLI reads: files beside the deployment file (the registry reads none) and public https URLs.
const includeLimits = { maxBytes: 1_048_576 };
const httpsIncludes = { maxBytes: 1_048_576, timeoutMs: 5_000 };

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
          loadInclude: createIncludeLoader({ files: includeLimits, https: httpsIncludes }),
        });
        const errors = result.ok ? [] : result.errors;
        const shown = errors.map((error) => ({
          ...error,
          source: path.relative(process.cwd(), error.source) || error.source,
        }));
        await context.print({ valid: result.ok, errors: shown }, () =>
          result.ok
            ? `${flags.file} is valid\n`
            : shown
                .map(
                  (error) =>
                    `${error.source}:${error.line}:${error.column}: ${error.path || '(document)'}: ${error.message}\n`,
                )
                .join(''),
        );
        if (!result.ok) throw new ReportedFailure(`${flags.file} is invalid`);
      } finally {
        await parser.close();
      }
    }),
  );
}
