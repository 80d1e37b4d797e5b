import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FakeOvercastServer } from '@overcast/sdk/testing';
import { startFakeOvercastServer } from '@overcast/sdk/testing';
import type { Command } from 'commander';
import { buildProgram } from '../src';
import { allCommands } from '../src/required-flags';
import type { CliSandbox } from './run-overcast';
import { createCliSandbox } from './run-overcast';

describe('overcast completion, version and help', () => {
  let server: FakeOvercastServer;
  let cli: CliSandbox;

  beforeEach(async () => {
    server = await startFakeOvercastServer();
    cli = createCliSandbox({ OVERCAST_URL: server.url, OVERCAST_TOKEN: server.developerToken });
  });
  afterEach(async () => {
    await server.close();
    cli.remove();
  });

  /** Loads the script into a real bash and asks it to complete the words, as pressing Tab would. */
  async function completeInBash(words: string[]): Promise<string[]> {
    const script = path.join(cli.home, 'overcast.bash');
    writeFileSync(script, (await cli.run(['completion', 'bash'])).stdout);
    const line = ['overcast', ...words].map((word) => `'${word}'`).join(' ');
    const output = execFileSync(
      'bash',
      [
        '-c',
        `source "$1"; COMP_WORDS=(${line}); COMP_CWORD=${words.length}; _overcast; printf '%s\\n' "\${COMPREPLY[@]}"`,
        'bash',
        script,
      ],
      { encoding: 'utf8' },
    );
    return output.split('\n').filter((word) => word !== '');
  }

  it('completes commands, subcommands, flags and flag choices in bash', async () => {
    expect(await completeInBash(['in'])).toEqual(['instances']);
    expect(await completeInBash([''])).toEqual(
      expect.arrayContaining(['auth', 'instances', 'builds', 'config', 'completion', 'version', '--json', '--jq']),
    );
    expect(await completeInBash(['instances', ''])).toEqual(
      expect.arrayContaining(['create', 'get', 'list', 'delete', 'terminate', 'console', 'wait']),
    );
    expect(await completeInBash(['--url', 'http://x', 'instances', 'create', '--pr'])).toEqual(['--provider']);
    expect(await completeInBash(['instances', 'list', '--state', 'r'])).toEqual(['running']);
    expect(await completeInBash(['auth', ''])).toEqual(expect.arrayContaining(['login', 'status', 'logout']));
    expect(await completeInBash(['completion', ''])).toEqual(expect.arrayContaining(['bash', 'zsh', 'fish']));
  });

  it('prints zsh and fish scripts, and refuses another shell', async () => {
    const zsh = await cli.run(['completion', 'zsh']);
    expect(zsh.stdout).toMatch(/^#compdef overcast\n/);
    expect(zsh.stdout).toContain('bashcompinit');
    expect(zsh.stdout).toContain('complete -F _overcast overcast');
    const fish = await cli.run(['completion', 'fish']);
    expect(fish.stdout).toContain(
      "complete -c overcast -n '__fish_seen_subcommand_from instances; and not __fish_seen_subcommand_from",
    );
    expect(fish.stdout).toContain('-l state -r -a');
    const other = await cli.run(['completion', 'powershell']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('Allowed choices are bash, zsh, fish');
  });

  it('prints its own version and the API version of the server', async () => {
    expect(await cli.run(['version'])).toMatchObject({
      code: 0,
      stdout: `overcast 0.1.0\nserver ${server.url}: API 0.1.0\n`,
    });
    const offline = await cli.run(['version', '--url', 'http://127.0.0.1:9', '--json']);
    expect(offline.code).toBe(0);
    expect(JSON.parse(offline.stdout)).toMatchObject({
      cli: '0.1.0',
      server: { url: 'http://127.0.0.1:9', api_version: expect.stringMatching(/^unknown \(cannot reach/) },
    });
  });

  it('ends the help of every command with examples', () => {
    const program = buildProgram({
      stdout: () => undefined,
      stderr: () => undefined,
      env: {},
      homeDirectory: cli.home,
    });
    const withoutExamples = allCommands(program)
      .filter((command) => !isHidden(command))
      .filter((command) => !/\nExamples:\n {2}\$ .*overcast /.test(helpText(command)))
      .map((command) => command.name());
    expect(withoutExamples).toEqual([]);
  });

  it('reports every missing required flag at once', async () => {
    const result = await cli.run(['builds', 'create', '--env', 'staging']);
    expect(result).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'overcast: missing required flags: --site <site>, --queue <queue>, --role <role>\n',
    });
    expect((await cli.run(['instances', 'create', '--image', 'i'])).stderr).toBe(
      'overcast: missing required flag: --provider <name>\n',
    );
    expect(server.requests).toEqual([]);
  });
});

function isHidden(command: Command): boolean {
  return command.parent !== null && !command.parent.createHelp().visibleCommands(command.parent).includes(command);
}

/** The whole help as printed, including the text added after it. */
function helpText(command: Command): string {
  let text = '';
  command.configureOutput({ writeOut: (chunk) => (text += chunk) });
  command.outputHelp();
  return text;
}
