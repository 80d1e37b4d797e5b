import { listOperations, type OpenApiDocument } from '@overcast/api-spec';

/**
 * A copy of the spec with these operations (by operationId) made public: a gateway serving it runs them exactly
 * as before but for authentication, the control a benchmark sets beside the real thing.
 */
export function withoutAuthentication(document: OpenApiDocument, operationIds: readonly string[]): OpenApiDocument {
  const copy = structuredClone(document);
  const operations = listOperations(copy);
  for (const operationId of operationIds) {
    const found = operations.find((candidate) => candidate.operation.operationId === operationId);
    if (!found) throw new Error(`no operation ${operationId} in the spec`);
    found.operation.security = [];
  }
  return copy;
}
