import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '@overcast/cli';
import { readConfigFile } from '@overcast/cli/config';
import type { StandaloneProcess } from './support/standalone-process';
import { startStandaloneProcess } from './support/standalone-process';

describe('pnpm start and the CLI config file', () => {
  let scratch: string;
  let standalone: StandaloneProcess | undefined;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'overcast-start-config-'));
  });
  afterAll(async () => {
    await standalone?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('saves its URL and first token to the config file (0600), so the next overcast command just works', async () => {
    const configDir = path.join(scratch, 'config');
    standalone = await startStandaloneProcess({
      OVERCAST_DATA_DIR: path.join(scratch, 'data'),
      OVERCAST_CONFIG_DIR: configDir,
    });
    const configPath = path.join(configDir, 'config.yml');
    expect(readConfigFile(configPath)).toEqual({ url: standalone.url, token: standalone.token });
    expect((await stat(configPath)).mode & 0o777).toBe(0o600);

    let stdout = '';
    const code = await runCli(['auth', 'status', '--json'], {
      stdout: (text) => (stdout += text),
      stderr: () => undefined,
      // No OVERCAST_URL or OVERCAST_TOKEN: everything comes from the file pnpm start wrote.
      env: { OVERCAST_CONFIG_DIR: configDir },
      homeDirectory: scratch,
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ url: standalone.url, token_source: configPath, role: 'admin' });
  }, 120_000);
});
