import { writeFileSync } from 'node:fs';
import { loadOpenApiDocument } from '@overcast/api-spec';
import openapiTS, { astToString } from 'openapi-typescript';
import type { OpenAPI3 } from 'openapi-typescript';
import { specTypesPath } from './spec-types-file';

const header = `/**
 * Generated from packages/api-spec (openapi.yaml and domains/) by \`pnpm --filter @overcast/gateway-api generate\`. Do not edit:
 * change the spec and regenerate.
 */

`;

/**
 * The spec's types as the server sees them. The SDK generates the caller's view (a field with a default is
 * optional to send); here a field with a default is present, because the gateway's validator has filled it in.
 */
async function generateSpecTypes(): Promise<string> {
  const ast = await openapiTS(loadOpenApiDocument() as unknown as OpenAPI3, { defaultNonNullable: true, silent: true });
  return header + astToString(ast);
}

async function main(): Promise<void> {
  const source = await generateSpecTypes();
  if (process.argv.includes('--stdout')) return void process.stdout.write(source);
  writeFileSync(specTypesPath, source);
  process.stdout.write(`wrote ${specTypesPath}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `could not generate the gateway's spec types: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
