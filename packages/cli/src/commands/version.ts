import type { Command } from 'commander';
import type { CliIo } from '../cli-io';
import { withExamples } from '../help-examples';
import { runWithContext } from './run-with-context';
import { cliVersion } from '../version';

export function registerVersionCommand(program: Command, io: CliIo): void {
  withExamples(
    program.command('version').description("print the CLI's version and the API version of the server it talks to"),
    'overcast version',
    'overcast version --url https://overcast.example.com --json',
  ).action(
    runWithContext(io, async (context) => {
      // The server's answer is a bonus: an unreachable server still leaves the CLI's own version printed.
      let server: string;
      try {
        server = await context.anonymousClient().apiVersion({ maxRetries: 0, timeout: 5_000 });
      } catch (error) {
        server = `unknown (${error instanceof Error ? error.message : String(error)})`;
      }
      await context.print(
        { cli: cliVersion, server: { url: context.settings.url, api_version: server } },
        () => `overcast ${cliVersion}\nserver ${context.settings.url}: API ${server}\n`,
      );
    }),
  );
}
