import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FailingServer } from './support/failing-server';
import { errorEnvelope, startFailingServer } from './support/failing-server';

const packageDir = path.resolve(__dirname, '..');
const repositoryRoot = path.resolve(packageDir, '..', '..');

/**
 * The package as npm would hand it to someone outside the monorepo: built by `pnpm build`, reached through
 * node_modules without the workspace's source condition, type-checked by a strict NodeNext project.
 */
describe('the built package (dist: ESM and declarations)', () => {
  let consumerDir: string;
  let server: FailingServer;

  beforeAll(async () => {
    execFileSync('pnpm', ['run', '--silent', 'build'], { cwd: packageDir, stdio: 'pipe' });
    consumerDir = mkdtempSync(path.join(tmpdir(), 'overcast-sdk-consumer-'));
    mkdirSync(path.join(consumerDir, 'node_modules', '@overcast'), { recursive: true });
    symlinkSync(packageDir, path.join(consumerDir, 'node_modules', '@overcast', 'sdk'));
    server = await startFailingServer();
  }, 120_000);
  afterAll(async () => {
    rmSync(consumerDir, { recursive: true, force: true });
    await server.close();
  });

  it('ships JavaScript and declarations for its entry point', () => {
    for (const file of ['index.js', 'index.d.ts', 'errors/api-errors.js', 'package.json'])
      expect(existsSync(path.join(packageDir, 'dist', file))).toBe(true);
  });

  it('runs from plain Node as ESM, retrying a 429 before answering', async () => {
    server.script(
      { status: 429, headers: { 'retry-after': '0' }, json: errorEnvelope('rate_limited', 'slow down') },
      {
        status: 200,
        json: { status: 'ok', services: [] },
      },
    );
    const script = `
      import { createClient, RateLimitError } from '@overcast/sdk';
      const status = await createClient({ baseUrl: process.env.URL, token: 't' }).status();
      console.log(JSON.stringify({ status: status.status, rateLimitError: typeof RateLimitError }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: consumerDir,
      env: { ...process.env, URL: server.url, NODE_OPTIONS: '' },
    });
    expect(JSON.parse(stdout)).toEqual({ status: 'ok', rateLimitError: 'function' });
    expect(server.seen).toHaveLength(2);
  });

  it('type-checks in a strict NodeNext project that does not skip library checks', () => {
    writeFileSync(
      path.join(consumerDir, 'consumer.mts'),
      `import { createClient, NotFoundError, type Instance, type OvercastClient } from '@overcast/sdk';
       const client: OvercastClient = createClient({ baseUrl: 'http://127.0.0.1:8080', maxRetries: 3, timeout: 5000 });
       export async function firstRunning(): Promise<Instance | undefined> {
         try {
           const page = await client.instances.list({ state: 'running' }, { timeout: 1000 });
           return page.instances[0];
         } catch (error) {
           if (error instanceof NotFoundError) return undefined;
           throw error;
         }
       }
      `,
    );
    writeFileSync(
      path.join(consumerDir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2023',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          typeRoots: [path.join(repositoryRoot, 'node_modules', '@types')],
          types: ['node'],
        },
        files: ['consumer.mts'],
      }),
    );
    const tsc = path.join(packageDir, 'node_modules', 'typescript', 'bin', 'tsc');
    const tscPath = existsSync(tsc) ? tsc : require.resolve('typescript/bin/tsc');
    const result = spawnSync(process.execPath, [tscPath, '-p', consumerDir], { encoding: 'utf8' });
    expect({ status: result.status, errors: result.stdout }).toEqual({ status: 0, errors: '' });
  }, 120_000);
});
