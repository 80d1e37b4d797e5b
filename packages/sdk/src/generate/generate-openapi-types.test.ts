import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { readCommittedTypes } from './generated-types-file';

/**
 * openapi-typescript pulls in ESM-only packages that jest's module system cannot load, so the generator
 * runs in its own Node process (through tsx) and prints what it would write.
 */
function regenerateInMemory(): string {
  const tsx = require.resolve('tsx/cli');
  return execFileSync(process.execPath, [tsx, path.join(__dirname, 'main.ts'), '--stdout'], { encoding: 'utf8' });
}

describe('the generated SDK types', () => {
  it('match openapi.yaml (run `pnpm --filter @overcast/sdk generate` after changing the spec)', () => {
    const fresh = regenerateInMemory();
    expect(fresh).toContain('export interface paths');
    expect(readCommittedTypes() === fresh).toBe(true);
  });
});
