import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exists, readText, repositoryPath } from './repository';

const dockerfile = readText('docker', 'Dockerfile');
const stages = dockerfile.split(/^FROM /m).slice(1);

function argDefault(name: string): string | undefined {
  return new RegExp(`^ARG ${name}=(\\S+)`, 'm').exec(dockerfile)?.[1];
}

/** The installed version of a package, from the lockfile's importers. */
function lockedVersion(name: string): string | undefined {
  return new RegExp(`^ {2}${name}@([0-9][^:(]*):`, 'm').exec(readText('pnpm-lock.yaml'))?.[1];
}

describe('docker/Dockerfile', () => {
  it('is multi-stage on BASE_IMAGE, Node 24 slim by default', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(argDefault('NODE_VERSION')).toBe('24');
    expect(argDefault('BASE_IMAGE')).toBe('node:${NODE_VERSION}-bookworm-slim');
    const stageNames = stages.map((stage) => / AS (\S+)/.exec(stage)?.[1]);
    for (const stage of stages) expect(stage).toMatch(new RegExp(`^(\\$\\{BASE_IMAGE\\}|${stageNames.join('|')}) AS `));
  });

  it('needs no image pull beyond BASE_IMAGE: no `# syntax=` frontend', () => {
    expect(dockerfile).not.toMatch(/^# *syntax=/m);
  });

  it('takes the service as a build argument in every stage that uses it', () => {
    for (const stage of stages.filter((text) => text.includes('${SERVICE}'))) expect(stage).toMatch(/^ARG SERVICE$/m);
  });

  it('installs only the service and its workspace dependencies, exactly as locked', () => {
    expect(dockerfile).toContain('pnpm install --frozen-lockfile');
    expect(dockerfile).toContain('--filter "@overcast/${SERVICE}..."');
  });

  it('generates the Prisma client without downloading a schema engine', () => {
    expect(dockerfile).toMatch(/PRISMA_SCHEMA_ENGINE_BINARY=("[^"]+"|\S+) pnpm exec prisma generate/);
  });

  it('runs as a non-root user with a /healthz HEALTHCHECK', () => {
    const users = [...dockerfile.matchAll(/^USER (\S+)/gm)].map((match) => match[1]);
    expect(users.at(-1)).toBeDefined();
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/healthz/m);
  });

  it('pins the pnpm of package.json and the tsx of the lockfile', () => {
    const packageManager = (JSON.parse(readText('package.json')) as { packageManager: string }).packageManager;
    expect(`pnpm@${argDefault('PNPM_VERSION')}`).toBe(packageManager);
    expect(argDefault('TSX_VERSION')).toBe(lockedVersion('tsx'));
  });

  it("loads tsx through the file its package exports as Node's loader", () => {
    const loader = /TSX_LOADER=file:\/\/\/opt\/tsx\/node_modules\/tsx\/(\S+)/.exec(dockerfile)?.[1];
    const tsxManifest = repositoryPath(
      'node_modules',
      '.pnpm',
      `tsx@${lockedVersion('tsx')}`,
      'node_modules',
      'tsx',
      'package.json',
    );
    const exported = (JSON.parse(readFileSync(tsxManifest, 'utf8')) as { exports: Record<string, unknown> }).exports[
      '.'
    ];
    expect(`./${loader}`).toBe(exported);
  });

  it('keeps dependencies, generated clients and secrets out of the build context', () => {
    const ignored = readText('.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/src/generated/prisma', '.env', '.git']));
  });

  it.each(
    readdirSync(repositoryPath('services')).filter((name) => exists('services', name, 'prisma', 'schema.prisma')),
  )('can generate the Prisma client of %s in the image: the service depends on the Prisma CLI', (serviceName) => {
    const manifest = JSON.parse(readText('services', serviceName, 'package.json')) as {
      devDependencies?: Record<string, string>;
      dependencies?: Record<string, string>;
    };
    expect({ ...manifest.dependencies, ...manifest.devDependencies }).toHaveProperty('prisma');
  });
});

describe('docker/entrypoint.sh', () => {
  const entrypoint = repositoryPath('docker', 'entrypoint.sh');
  const tsxLoader = execFileSync(process.execPath, ['-p', 'require.resolve("tsx/package.json")'], {
    cwd: repositoryPath(),
  })
    .toString()
    .trim()
    .replace(/package\.json$/, 'dist/loader.mjs');
  let appRoot: string;

  beforeAll(() => {
    appRoot = mkdtempSync(join(tmpdir(), 'overcast-entrypoint-'));
    mkdirSync(join(appRoot, 'services', 'demo', 'src'), { recursive: true });
    // TypeScript-only syntax proves the file ran through tsx's loader.
    writeFileSync(
      join(appRoot, 'services', 'demo', 'src', 'main.ts'),
      'const entry: string = "main";\nprocess.stdout.write(`${entry} ${process.env.SERVICE}`);\n',
    );
  });
  afterAll(() => rmSync(appRoot, { recursive: true, force: true }));

  const run = (args: string[], env: Record<string, string> = { SERVICE: 'demo' }) =>
    spawnSync('sh', [entrypoint, ...args], {
      env: { PATH: process.env.PATH, APP_ROOT: appRoot, TSX_LOADER: `file://${tsxLoader}`, ...env },
      encoding: 'utf8',
    });

  it('is executable', () => {
    expect(statSync(entrypoint).mode & 0o111).not.toBe(0);
  });

  it('runs the service main through tsx by default', () => {
    const result = run([]);
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ status: 0, stdout: 'main demo' });
  });

  it('runs a command directory (src/<name>/main.ts) with the arguments that follow', () => {
    mkdirSync(join(appRoot, 'services', 'demo', 'src', 'admin'), { recursive: true });
    writeFileSync(
      join(appRoot, 'services', 'demo', 'src', 'admin', 'main.ts'),
      'const args: string[] = process.argv.slice(2);\nprocess.stdout.write(args.join("|"));\n',
    );
    expect(run(['admin', 'create-token', 'first token', '--role', 'admin'])).toMatchObject({
      status: 0,
      stdout: 'create-token|first token|--role|admin',
    });
  });

  it('refuses an entry point the service does not have, naming it', () => {
    expect(run(['migrate'])).toMatchObject({
      status: 64,
      stderr: expect.stringContaining("demo has no 'migrate' entry point"),
    });
  });

  it('refuses an entry point that is not a plain name', () => {
    expect(run(['../../etc/passwd'])).toMatchObject({ status: 64 });
  });

  it('explains a missing SERVICE', () => {
    expect(run([], {}).stderr).toContain('SERVICE is not set');
  });
});
