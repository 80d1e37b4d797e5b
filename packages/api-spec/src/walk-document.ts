import type {
  HttpMethod,
  OpenApiDocument,
  OperationObject,
  ParameterObject,
  ReferenceObject,
} from './openapi-document';
import { httpMethods } from './openapi-document';

export interface DocumentedOperation {
  method: HttpMethod;
  path: string;
  operation: OperationObject;
  /** Path-level parameters followed by the operation's own, as written (may be references). */
  parameters: (ParameterObject | ReferenceObject)[];
}

export function isReference(value: unknown): value is ReferenceObject {
  return typeof value === 'object' && value !== null && typeof (value as { $ref?: unknown }).$ref === 'string';
}

/** Resolves a local reference (`#/components/...`); throws naming the reference when it points nowhere. */
export function resolveReference<T>(document: OpenApiDocument, ref: string): T {
  if (!ref.startsWith('#/')) throw new Error(`unsupported reference ${ref}: only local references are allowed`);
  let current: unknown = document;
  for (const rawSegment of ref.slice(2).split('/')) {
    const segment = rawSegment.replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof current !== 'object' || current === null || !(segment in current)) {
      throw new Error(`unresolved reference ${ref}`);
    }
    current = (current as Record<string, unknown>)[segment];
  }
  return current as T;
}

/** Follows references until a concrete object is reached. */
export function dereference<T extends object>(document: OpenApiDocument, value: T | ReferenceObject): T {
  let current: T | ReferenceObject = value;
  for (let depth = 0; isReference(current); depth += 1) {
    if (depth > 20) throw new Error(`reference cycle at ${current.$ref}`);
    current = resolveReference<T | ReferenceObject>(document, current.$ref);
  }
  return current;
}

/** Every operation, in the order the document declares them. */
export function listOperations(document: OpenApiDocument): DocumentedOperation[] {
  const operations: DocumentedOperation[] = [];
  for (const [path, pathItem] of Object.entries(document.paths)) {
    for (const method of httpMethods) {
      const operation = pathItem[method];
      if (operation === undefined) continue;
      operations.push({
        method,
        path,
        operation,
        parameters: [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])],
      });
    }
  }
  return operations;
}
