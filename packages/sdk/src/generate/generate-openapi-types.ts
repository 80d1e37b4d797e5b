import { loadOpenApiDocument } from '@overcast/api-spec';
import openapiTS, { astToString } from 'openapi-typescript';
import type { OpenAPI3 } from 'openapi-typescript';

const header = `/**
 * Generated from packages/api-spec (openapi.yaml and domains/) by \`pnpm --filter @overcast/sdk generate\`. Do not edit:
 * change the spec and regenerate.
 */

`;

export async function generateOpenApiTypes(): Promise<string> {
  const ast = await openapiTS(loadOpenApiDocument() as unknown as OpenAPI3, {
    // Request fields with a default stay optional for callers; the server fills them in.
    defaultNonNullable: false,
    silent: true,
  });
  return header + astToString(ast);
}
