import type { Command } from 'commander';
import type { CliIo } from '../cli-io';
import { MissingTokenError, UsageError } from '../cli-io';
import type { CommandContext } from '../command-context';
import { updateConfigFile } from '../config/config-file';
import { describeSource } from '../config/resolve-settings';
import { withExamples } from '../help-examples';
import { describeToken, findOwnToken } from './auth-identity';
import { runWithContext } from './run-with-context';

interface LoginFlags {
  withToken?: boolean;
  githubToken?: string;
}

/** Checks the token against the server before saving it, as gh does: a typo is caught now, not on next use. */
async function loginWithToken(context: CommandContext): Promise<void> {
  if (context.io.readStdin === undefined) throw new UsageError('--with-token reads the token from standard input');
  const token = (await context.io.readStdin()).trim();
  if (token === '') throw new UsageError('--with-token read no token from standard input');
  const own = await findOwnToken(context.anonymousClient(token), token);
  updateConfigFile(context.settings.configPath, { url: context.settings.url, token });
  await context.print(
    { url: context.settings.url, token_id: own?.id ?? null, config: context.settings.configPath },
    () =>
      `✓ logged in to ${context.settings.url}${own ? ` as ${describeToken(own)}` : ''}\n  token saved to ${context.settings.configPath}\n`,
  );
}

async function loginWithGitHub(context: CommandContext, githubToken: string): Promise<void> {
  const result = await context.anonymousClient().login(githubToken);
  updateConfigFile(context.settings.configPath, { url: context.settings.url, token: result.token });
  await context.print(
    { login: result.login, config: context.settings.configPath },
    () => `logged in as ${result.login}; token saved to ${context.settings.configPath}\n`,
  );
}

export function registerAuthCommands(program: Command, io: CliIo): void {
  const login = runWithContext(io, async (context, flags: LoginFlags) => {
    if (flags.withToken) return loginWithToken(context);
    const githubToken = flags.githubToken ?? context.io.env.GITHUB_TOKEN;
    if (!githubToken) throw new UsageError('log in with --with-token (token on stdin), --github-token or GITHUB_TOKEN');
    return loginWithGitHub(context, githubToken);
  });
  const auth = withExamples(
    program.command('auth').description('log in, see who you are, log out'),
    'overcast auth status',
  );

  withExamples(
    auth
      .command('login')
      .description('save a token for the API URL in the config file, checking it first')
      .option('--with-token', 'read an Overcast token from standard input')
      .option('--github-token <token>', 'exchange a GitHub token for an Overcast token (default: $GITHUB_TOKEN)'),
    'overcast auth login --with-token < token.txt',
    'echo "$OVERCAST_TOKEN" | overcast auth login --with-token --url https://overcast.example.com',
    'overcast auth login --github-token "$(gh auth token)"',
  ).action(login);

  // The command this CLI first shipped; kept so scripts that call it keep working.
  program
    .command('login', { hidden: true })
    .description('same as `auth login --github-token`')
    .option('--github-token <token>', 'GitHub token (default: $GITHUB_TOKEN)')
    .action(login);

  withExamples(
    auth
      .command('status')
      .description('show the API URL, who the token belongs to and where it came from; exits 3 when not logged in'),
    'overcast auth status',
  ).action(
    runWithContext(io, async (context) => {
      const { settings } = context;
      const tokenSource = describeSource(settings.sources.token, 'OVERCAST_TOKEN', settings.configPath);
      if (settings.token === undefined) {
        throw new MissingTokenError(`not logged in to ${settings.url}: run \`overcast auth login --with-token\``);
      }
      const own = await findOwnToken(context.client(), settings.token);
      const urlSource = describeSource(settings.sources.url, 'OVERCAST_URL', settings.configPath);
      await context.print(
        {
          url: settings.url,
          url_source: urlSource,
          token_source: tokenSource,
          token_id: own?.id ?? null,
          role: own?.role ?? null,
          tenant_id: own?.tenant_id ?? null,
        },
        () =>
          `${settings.url} (from ${urlSource})\n` +
          `  ✓ logged in${own ? ` as ${describeToken(own)}` : ''}\n` +
          `  token: ${maskToken(settings.token ?? '')} (from ${tokenSource})\n`,
      );
    }),
  );

  withExamples(
    auth.command('logout').description('remove the saved token from the config file (the URL stays)'),
    'overcast auth logout',
  ).action(
    runWithContext(io, async (context) => {
      updateConfigFile(context.settings.configPath, { token: undefined });
      const stillSet = context.io.env.OVERCAST_TOKEN ? ' (OVERCAST_TOKEN is still set in your environment)' : '';
      await context.print(
        { config: context.settings.configPath },
        () => `logged out: no token in ${context.settings.configPath}${stillSet}\n`,
      );
    }),
  );
}

/** The id before the dash stays readable; the secret never shows. */
export function maskToken(token: string): string {
  const dash = token.indexOf('-');
  return dash === -1 ? '****' : `${token.slice(0, dash + 1)}****`;
}
