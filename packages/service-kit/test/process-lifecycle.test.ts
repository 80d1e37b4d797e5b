import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from '@overcast/test-kit';

const fixture = join(__dirname, 'fixtures', 'ops-service.ts');

/** Runs the fixture the way the Docker image runs a service: node with tsx as its loader. */
function runFixture(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    cwd: join(__dirname, '..'),
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  // 'close', not 'exit': the process may have exited while its last output still sits in the pipes.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const lines = () =>
    output.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { child, output, exited, lines };
}

describe('a service process built on service-kit', () => {
  it('exits 1 on an invalid environment, naming the variable', async () => {
    const run = runFixture({ PORT: 'http', LOG_LEVEL: 'loud' });
    expect(await run.exited).toBe(1);
    expect(run.output.stderr).toContain('PORT: must be a port number from 0 to 65535');
    expect(run.output.stderr).toContain('LOG_LEVEL: must be one of');
  });

  it('serves health, logs requests with their correlation id, and exits 0 after SIGTERM', async () => {
    const run = runFixture({ PORT: '0', LOG_LEVEL: 'info' });
    try {
      const listening = await waitFor('the fixture to listen', () =>
        run.lines().find((line) => line.msg === 'listening'),
      );
      const url = String(listening.url);

      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      const missing = await fetch(`${url}/nothing-here`, { headers: { 'X-Request-ID': 'lifecycle-1' } });
      expect(missing.status).toBe(404);
      await waitFor('the access log line', () =>
        run.lines().find((line) => line.msg === 'request completed' && line.correlationId === 'lifecycle-1'),
      );

      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      expect(run.lines().map((line) => line.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
      expect(run.lines().every((line) => line.service === 'fixture')).toBe(true);
    } finally {
      run.child.kill('SIGKILL');
    }
  });
});
