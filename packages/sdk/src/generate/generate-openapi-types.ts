import { readFileSync } from 'node:fs';
import { openApiYamlPath } from '@overcast/api-spec';
import openapiTS, { astToString } from 'openapi-typescript';

const header = `/**
 * Generated from packages/api-spec/openapi.yaml by \`pnpm --filter @overcast/sdk generate\`. Do not edit:
 * change the spec and regenerate.
 */

`;

export async function generateOpenApiTypes(specPath: string = openApiYamlPath): Promise<string> {
  const ast = await openapiTS(readFileSync(specPath, 'utf8'), {
    // Request fields with a default stay optional for callers; the server fills them in.
    defaultNonNullable: false,
    silent: true,
  });
  return header + astToString(ast);
}
