import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CliIo } from '../src';
import { runCli } from '../src';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A throwaway home directory, so no test reads or writes the real ~/.config/overcast. */
export interface CliSandbox {
  home: string;
  configPath: string;
  run(args: string[], env?: Record<string, string>, extra?: Partial<CliIo>): Promise<CliResult>;
  remove(): void;
}

export function createCliSandbox(baseEnv: Record<string, string> = {}): CliSandbox {
  const home = mkdtempSync(path.join(tmpdir(), 'overcast-cli-'));
  const configPath = path.join(home, '.config', 'overcast', 'config.yml');
  return {
    home,
    configPath,
    async run(args, env = {}, extra = {}) {
      let stdout = '';
      let stderr = '';
      const code = await runCli(args, {
        stdout: (text) => (stdout += text),
        stderr: (text) => (stderr += text),
        env: { ...baseEnv, ...env },
        homeDirectory: home,
        // Quick retries: a test that meets a refused connection should not sit through production backoff.
        clientOptions: { retryDelay: { initialMs: 1, maxMs: 5 } },
        ...extra,
      });
      return { code, stdout, stderr };
    },
    remove: () => rmSync(home, { recursive: true, force: true }),
  };
}
