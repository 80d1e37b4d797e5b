import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { OpenApiDocument } from './openapi-document';

/** Where the spec lives; the SDK's generator and the gateway's validator read this file. */
export const openApiYamlPath = path.resolve(__dirname, '..', 'openapi.yaml');

export function loadOpenApiDocument(filePath: string = openApiYamlPath): OpenApiDocument {
  const parsed: unknown = parse(readFileSync(filePath, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || !('openapi' in parsed) || !('paths' in parsed)) {
    throw new Error(`${filePath} is not an OpenAPI document (no "openapi" or "paths" member)`);
  }
  return parsed as OpenApiDocument;
}
