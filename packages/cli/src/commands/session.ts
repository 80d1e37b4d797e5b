import type { Command } from 'commander';
import type { CliIo } from '../cli-io';
import { UsageError } from '../cli-io';
import { updateConfigFile } from '../config/config-file';
import { formatTable } from '../output/format';
import { runWithContext } from './run-with-context';

export function registerSessionCommands(program: Command, io: CliIo): void {
  program
    .command('login')
    .description('exchange a GitHub token for an Overcast token and save it in the config file')
    .option('--github-token <token>', 'GitHub token (default: $GITHUB_TOKEN)')
    .action(
      runWithContext(io, async (context, flags: { githubToken?: string }) => {
        const githubToken = flags.githubToken ?? context.io.env.GITHUB_TOKEN;
        if (!githubToken) throw new UsageError('login needs --github-token or GITHUB_TOKEN');
        const result = await context.anonymousClient().login(githubToken);
        updateConfigFile(context.settings.configPath, { url: context.settings.url, token: result.token });
        context.print(
          { login: result.login, config: context.settings.configPath },
          () => `logged in as ${result.login}; token saved to ${context.settings.configPath}\n`,
        );
      }),
    );

  program
    .command('status')
    .description('show whether each Overcast service is up')
    .action(
      runWithContext(io, async (context) => {
        const status = await context.client().status();
        context.print(
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
        );
      }),
    );
}
