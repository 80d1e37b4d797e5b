import type { OpenApiDocument } from '../openapi-document';
import type { DocumentedOperation } from '../walk-document';
import { listOperations } from '../walk-document';

function templateToPattern(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^${escaped}$`);
}

/** The operation a concrete request hits; literal segments win over templated ones (`/instances` before `/{id}`). */
export function findOperation(
  document: OpenApiDocument,
  method: string,
  path: string,
): DocumentedOperation | undefined {
  const candidates = listOperations(document).filter(
    (entry) => entry.method === method.toLowerCase() && templateToPattern(entry.path).test(path),
  );
  const templatedSegments = (entry: DocumentedOperation) => (entry.path.match(/\{/g) ?? []).length;
  return candidates.sort((left, right) => templatedSegments(left) - templatedSegments(right))[0];
}
