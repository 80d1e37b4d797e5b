import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { repositoryPath } from './repository';

// The image installs a service with `pnpm install --prod` (docker/Dockerfile): a package its running code
// imports but lists only in devDependencies is missing there and the container dies at start, while every
// test on the host passes. This follows the imports from each entry point the image runs and checks them.

interface Manifest {
  name: string;
  main?: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const workspacePackages = new Map<string, string>(
  ['services', 'packages'].flatMap((root) =>
    readdirSync(repositoryPath(root))
      .map((name) => join(repositoryPath(root), name))
      .filter((directory) => existsSync(join(directory, 'package.json')))
      .map((directory) => [manifestOf(directory).name, directory] as const),
  ),
);

function manifestOf(directory: string): Manifest {
  return JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as Manifest;
}

function packageDirectoryOf(file: string): string {
  let directory = dirname(file);
  while (!existsSync(join(directory, 'package.json'))) directory = dirname(directory);
  return directory;
}

function resolveSource(base: string): string | undefined {
  return [base, `${base}.ts`, `${base}.mts`, join(base, 'index.ts')].find(
    (candidate) => existsSync(candidate) && candidate.match(/\.m?ts$/),
  );
}

/** Value imports only: `import type` and `export type … from` are erased and need nothing at run time. */
function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?[^;'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;
  for (const match of source.matchAll(statement)) {
    if (match[2]) continue;
    const specifier = match[3] ?? match[4];
    if (specifier) specifiers.push(specifier);
  }
  for (const match of source.matchAll(/(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    if (match[1]) specifiers.push(match[1]);
  }
  return specifiers;
}

const packageNameOf = (specifier: string) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier);

/** Every bare import reachable from the entry points that the importing package does not list in dependencies. */
function missingRuntimeDependencies(entryPoints: string[]): string[] {
  const missing = new Set<string>();
  const seen = new Set<string>();
  const queue = [...entryPoints];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const owner = packageDirectoryOf(file);
    const manifest = manifestOf(owner);
    const declared = { ...manifest.dependencies, ...manifest.peerDependencies };
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) {
        const target = resolveSource(join(dirname(file), specifier));
        if (target) queue.push(target);
        continue;
      }
      if (specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
      const name = packageNameOf(specifier);
      if (!(name in declared)) missing.add(`${manifest.name} imports ${name} (${relative(repositoryPath(), file)})`);
      const workspace = workspacePackages.get(name);
      if (workspace) {
        const main = resolveSource(join(workspace, manifestOf(workspace).main ?? 'src/index.ts'));
        if (main) queue.push(main);
      }
    }
  }
  return [...missing].sort();
}

const imagedServices = [
  'gateway-api',
  'instance-broker',
  'app-manager',
  'image-inspector',
  'registry',
  'datacenter-agent',
];

describe('what the image runs is installed by pnpm install --prod', () => {
  it.each(imagedServices)('%s: every package its entry points import is a dependency', (service) => {
    const source = repositoryPath('services', service, 'src');
    const entryPoints = ['main.ts', 'migrate.ts', join('admin', 'main.ts')]
      .map((file) => join(source, file))
      .filter((file) => existsSync(file));
    expect(entryPoints.length).toBeGreaterThan(0);
    expect(missingRuntimeDependencies(entryPoints)).toEqual([]);
  });

  it('notices a package imported at run time but listed only in devDependencies', () => {
    // service-kit's tests import @opentelemetry/sdk-trace; its test file must not count, its source must.
    expect(importsOf("import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';")).toEqual([
      '@opentelemetry/sdk-trace',
    ]);
    expect(importsOf("import type { Span } from '@opentelemetry/sdk-trace';")).toEqual([]);
  });
});
