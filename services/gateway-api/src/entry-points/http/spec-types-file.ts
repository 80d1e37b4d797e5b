import path from 'node:path';

/** The committed output of `generate-spec-types.ts`; its test regenerates it in memory and fails when it is stale. */
export const specTypesPath = path.resolve(__dirname, 'generated', 'openapi.ts');
