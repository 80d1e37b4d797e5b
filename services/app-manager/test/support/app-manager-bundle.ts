import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';

const serviceRoot = path.join(__dirname, '..', '..');

/** The app manager's main, built once for the children a test starts again and again. */
export interface AppManagerBundle {
  /** The CommonJS file to run with `node`. */
  entry: string;
  /** NODE_COMPILE_CACHE for the children: the first start compiles, the later ones load V8's cached code. */
  compileCache: string;
  /** Deletes the bundle and the cache. */
  remove(): void;
}

/**
 * Packages from node_modules stay outside the bundle, required by the absolute path their importer resolves them
 * to (pnpm gives each workspace package only its own dependencies), so they load as under tsx; the workspace's
 * TypeScript (@overcast/* and the service itself) is compiled into it.
 */
const externalPackages: Plugin = {
  name: 'external-packages',
  setup(bundle) {
    bundle.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@overcast/') || args.path.startsWith('node:')) return undefined;
      return { path: require.resolve(args.path, { paths: [args.resolveDir] }), external: true };
    });
  },
};

/**
 * The workspace's modules only declare (no import of one registers anything), so what main does not use is left
 * out with the packages it requires: the GCE client library, which @overcast/providers' registry reaches for the
 * instance broker, is a fifth of a start's CPU.
 */
const workspaceWithoutSideEffects: Plugin = {
  name: 'workspace-without-side-effects',
  setup(bundle) {
    bundle.onResolve({ filter: /^(\.|@overcast\/)/ }, async (args) => {
      if (args.pluginData === 'resolving' || args.importer.includes('node_modules')) return undefined;
      const { path: resolved, errors } = await bundle.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'resolving',
      });
      return errors.length > 0 ? { errors } : { path: resolved, sideEffects: false };
    });
  },
};

/** `__dirname` and `__filename` keep meaning the source file's place (migrations, the local images' scripts). */
const sourcePaths: Plugin = {
  name: 'source-paths',
  setup(bundle) {
    bundle.onLoad({ filter: /\.ts$/ }, (args) => ({
      loader: 'ts',
      contents: readFileSync(args.path, 'utf8')
        .replace(/\b__dirname\b/g, JSON.stringify(path.dirname(args.path)))
        .replace(/\b__filename\b/g, JSON.stringify(args.path)),
    }));
  },
};

/**
 * `src/main.ts` and the workspace code it imports as one file, the same code `tsx src/main.ts` runs. A child
 * started from it skips tsx's per-file compile and module resolution of the workspace's TypeScript: what a
 * restart costs is then loading the dependencies and connecting.
 */
export async function buildAppManagerBundle(): Promise<AppManagerBundle> {
  const directory = mkdtempSync(path.join(tmpdir(), 'app-manager-bundle-'));
  const entry = path.join(directory, 'main.cjs');
  await build({
    entryPoints: [path.join(serviceRoot, 'src', 'main.ts')],
    outfile: entry,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    // Beside it, for `node --enable-source-maps` when a child's stack must name the sources (not on by default:
    // reading the map is a twelfth of a start).
    sourcemap: true,
    logLevel: 'error',
    plugins: [workspaceWithoutSideEffects, externalPackages, sourcePaths],
  });
  return {
    entry,
    compileCache: path.join(directory, 'compile-cache'),
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}
