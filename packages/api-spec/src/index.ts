import { loadOpenApiDocument } from './load-document';
import type { OpenApiDocument } from './openapi-document';

export { openApiYamlPath, loadOpenApiDocument } from './load-document';
export { renderReferencePage } from './render/render-reference-page';
export { listOperations, resolveReference, isReference } from './walk-document';
export type { DocumentedOperation } from './walk-document';
export type * from './openapi-document';

/** The spec, parsed once when this module is first imported. Treat it as read-only. */
export const openApiDocument: OpenApiDocument = loadOpenApiDocument();
