import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readText, repositoryPath } from './repository';

const stage = readText('.ci', 'compose-round-trip');

describe('.ci/compose-round-trip', () => {
  it('is run by .ci/run after the tests', () => {
    const run = readText('.ci', 'run');
    expect(run.indexOf('bash .ci/compose-round-trip')).toBeGreaterThan(run.indexOf('pnpm test'));
  });

  it.each(['.ci/compose-round-trip', '.ci/run', 'scripts/build-base-image.sh', 'scripts/compose-first-token.sh'])(
    '%s is valid bash',
    (file) => {
      expect(spawnSync('bash', ['-n', repositoryPath(file)], { encoding: 'utf8' })).toMatchObject({
        status: 0,
        stderr: '',
      });
    },
  );

  it('always takes the stack down with its volumes, from an EXIT trap', () => {
    expect(stage).toMatch(/^trap cleanup EXIT$/m);
    const cleanup = stage.slice(stage.indexOf('cleanup() {'), stage.indexOf('trap cleanup EXIT'));
    expect(cleanup).toMatch(/"\$\{compose\[@\]\}" down -v/);
  });

  it('runs every long step under a deadline that names it', () => {
    for (const step of [
      'build --parallel',
      'up --detach',
      'compose-first-token.sh',
      'round-trip.ts',
      'build-base-image.sh',
    ]) {
      const line = stage.split('\n').findIndex((text) => !text.trimStart().startsWith('#') && text.includes(step));
      expect([
        step,
        stage
          .split('\n')
          .slice(Math.max(0, line - 1), line + 1)
          .join('\n'),
      ]).toEqual([step, expect.stringMatching(/within \d+ '/)]);
    }
  });

  it('uses a project name of its own, so a developer stack on the machine is left alone', () => {
    expect(stage).toMatch(/docker-compose -p "\$project"/);
  });
});

describe('scripts/build-base-image.sh', () => {
  const script = repositoryPath('scripts', 'build-base-image.sh');
  const recipeHash = createHash('sha256').update(readFileSync(script)).digest('hex').slice(0, 12);
  let bin: string;

  beforeAll(() => {
    bin = mkdtempSync(join(tmpdir(), 'overcast-base-image-'));
    // A docker that has every image and logs its calls; debootstrap that must not run.
    writeFileSync(join(bin, 'docker'), `#!/bin/sh\necho "$*" >>"${bin}/docker.calls"\nexit 0\n`);
    writeFileSync(join(bin, 'debootstrap'), `#!/bin/sh\necho called >"${bin}/debootstrap.calls"\nexit 1\n`);
    chmodSync(join(bin, 'docker'), 0o755);
    chmodSync(join(bin, 'debootstrap'), 0o755);
  });
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  it('reuses the image of the same recipe, tagged by the script hash, without building', () => {
    const result = spawnSync('bash', [script], { encoding: 'utf8', env: { PATH: `${bin}:${process.env.PATH}` } });
    expect(result).toMatchObject({ status: 0, stdout: `overcast/base:${recipeHash}\n` });
    expect(readFileSync(join(bin, 'docker.calls'), 'utf8')).toBe(`image inspect overcast/base:${recipeHash}\n`);
    expect(() => readFileSync(join(bin, 'debootstrap.calls'))).toThrow();
  });
});
