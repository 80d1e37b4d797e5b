import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The committed output; a test regenerates it in memory and fails when this file is stale. */
export const generatedTypesPath = path.resolve(__dirname, '..', 'generated', 'openapi.ts');

export function readCommittedTypes(): string {
  return readFileSync(generatedTypesPath, 'utf8');
}
