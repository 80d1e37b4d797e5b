import { loadOpenApiDocument } from './load-document';
import type { OpenApiDocument } from './openapi-document';

export { openApiYamlPath, openApiDomainsDirectory, loadOpenApiDocument } from './load-document';
export { renderReferencePage, referenceScriptPath } from './reference/reference-page';
export type { ReferencePageOptions } from './reference/reference-page';
export { referenceDocument, defaultTagGroup } from './reference/reference-document';
export type { CodeSample } from './reference/code-samples';
export { listOperations, resolveReference, isReference } from './walk-document';
export type { DocumentedOperation } from './walk-document';
export { dereference } from './walk-document';
export { createResponseChecker } from './validate/check-response';
export type { ObservedResponse, ResponseChecker } from './validate/check-response';
export { createSchemaValidator } from './validate/create-schema-validator';
export type { SchemaCheck } from './validate/create-schema-validator';
export { findOperation } from './validate/find-operation';
export type * from './openapi-document';

/** The spec, parsed once when this module is first imported. Treat it as read-only. */
export const openApiDocument: OpenApiDocument = loadOpenApiDocument();
