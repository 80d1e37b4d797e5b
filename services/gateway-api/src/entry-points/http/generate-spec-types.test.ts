import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { specTypesPath } from './spec-types-file';

/**
 * openapi-typescript pulls in ESM-only packages that jest's module system cannot load, so the generator runs in its
 * own Node process (through tsx) and prints what it would write.
 */
function regenerateInMemory(): string {
  const tsx = require.resolve('tsx/cli');
  return execFileSync(process.execPath, [tsx, path.join(__dirname, 'generate-spec-types.ts'), '--stdout'], {
    encoding: 'utf8',
  });
}

describe("the gateway's generated spec types", () => {
  it('match openapi.yaml (run `pnpm --filter @overcast/gateway-api generate` after changing the spec)', () => {
    const fresh = regenerateInMemory();
    expect(fresh).toContain('export interface paths');
    expect(readFileSync(specTypesPath, 'utf8') === fresh).toBe(true);
  });
});
