import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { record, repositoryPath } from './repository';

export const k8sRoot = repositoryPath('infra', 'k8s');

// kubectl ships kustomize; CI runners have it. Without it the structural checks still run.
export const kubectlAvailable = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!kubectlAvailable) process.stderr.write('\n*** SKIPPING kustomize builds: kubectl is not on PATH\n\n');

export interface KustomizeBuild {
  stdout: string;
  stderr: string;
  /** The rendered resources, one parsed document each. */
  resources: Record<string, unknown>[];
}

/** `kubectl kustomize` of a directory under infra/k8s, as kubectl would apply it. */
export function kustomize(directory: string): KustomizeBuild {
  const result = spawnSync('kubectl', ['kustomize', directory], { encoding: 'utf8' });
  const resources = parseAllDocuments(result.stdout).map((document) => record(document.toJS(), 'rendered resource'));
  return { stdout: result.stdout, stderr: result.stderr, resources };
}

/**
 * Builds the example overlay as an operator would: each `secrets/*.env.example` copied to the `.env` beside
 * it with every CHANGE_ME replaced by a fresh random secret (64 hex characters, as `openssl rand -hex 32`).
 */
export function kustomizeExampleOverlay(): KustomizeBuild {
  const copy = mkdtempSync(join(tmpdir(), 'overcast-k8s-'));
  try {
    cpSync(k8sRoot, copy, { recursive: true });
    const secrets = join(copy, 'overlays', 'example', 'secrets');
    for (const example of readdirSync(secrets).filter((name) => name.endsWith('.env.example'))) {
      const filled = readFileSync(join(secrets, example), 'utf8').replaceAll('CHANGE_ME', () =>
        randomBytes(32).toString('hex'),
      );
      writeFileSync(join(secrets, example.replace(/\.example$/, '')), filled);
    }
    return kustomize(join(copy, 'overlays', 'example'));
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
