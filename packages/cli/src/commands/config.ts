import type { Command } from 'commander';
import type { CliIo } from '../cli-io';
import { UsageError } from '../cli-io';
import type { ConfigKey } from '../config/config-file';
import { configKeys, readConfigFile, updateConfigFile } from '../config/config-file';
import { checkUrl } from '../config/resolve-settings';
import { withExamples } from '../help-examples';
import { maskToken } from './auth';
import { runWithContext } from './run-with-context';

const tokenPattern = /^\d+-[0-9a-f]{32}$/;

function requireKey(key: string): ConfigKey {
  const known = configKeys.find((candidate) => candidate === key);
  if (known === undefined) throw new UsageError(`unknown config key "${key}"; known keys: ${configKeys.join(', ')}`);
  return known;
}

function checkValue(key: ConfigKey, value: string): void {
  if (key === 'url') checkUrl(value, 'config set');
  if (key === 'token' && !tokenPattern.test(value)) throw new UsageError('token must look like <id>-<32 hex>');
}

export function registerConfigCommands(program: Command, io: CliIo): void {
  const config = withExamples(
    program
      .command('config')
      .description(`read and change the config file (keys: ${configKeys.join(', ')}); the environment still wins`),
    'overcast config list',
  );

  withExamples(
    config.command('get').description('print one value from the config file').argument('<key>', configKeys.join(' | ')),
    'overcast config get url',
  ).action(
    runWithContext(io, async (context, key: string) => {
      const value = readConfigFile(context.settings.configPath)[requireKey(key)];
      await context.print({ [key]: value ?? null }, () => (value === undefined ? '' : `${value}\n`));
    }),
  );

  withExamples(
    config
      .command('set')
      .description('set one value in the config file')
      .argument('<key>', configKeys.join(' | '))
      .argument('<value>', 'the new value'),
    'overcast config set url https://overcast.example.com',
  ).action(
    runWithContext(io, async (context, key: string, value: string) => {
      const known = requireKey(key);
      checkValue(known, value);
      updateConfigFile(context.settings.configPath, { [known]: value });
      await context.print({ [key]: known === 'token' ? maskToken(value) : value }, () => '');
    }),
  );

  withExamples(
    config.command('list').description('print every value in the config file (the token masked)'),
    'overcast config list',
    'overcast config list --json --jq .url',
  ).action(
    runWithContext(io, async (context) => {
      const stored = readConfigFile(context.settings.configPath);
      const shown = {
        url: stored.url ?? null,
        token: stored.token === undefined ? null : maskToken(stored.token),
      };
      await context.print(
        { ...shown, path: context.settings.configPath },
        () =>
          `# ${context.settings.configPath}\n` +
          configKeys.map((key) => `${key}=${shown[key] ?? ''}`).join('\n') +
          '\n',
      );
    }),
  );
}
