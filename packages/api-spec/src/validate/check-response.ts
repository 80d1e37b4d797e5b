import type { OpenApiDocument, ResponseObject } from '../openapi-document';
import { dereference } from '../walk-document';
import { createSchemaValidator } from './create-schema-validator';
import { findOperation } from './find-operation';

export interface ObservedResponse {
  method: string;
  /** The concrete path, without the query string. */
  path: string;
  status: number;
  /** The Content-Type header as sent, parameters included. */
  contentType?: string | null;
  /** The parsed JSON body, the text of a text body, or undefined when there was none. */
  body: unknown;
  /** When given, every header the spec documents for this response must be present. */
  headers?: { get(name: string): string | null };
}

/** Checks an answer against the spec: a documented status, media type, body schema and headers. */
export type ResponseChecker = (response: ObservedResponse) => string[];

function mediaTypeBase(value: string): string {
  return value.split(';')[0]?.trim().toLowerCase() ?? '';
}

export function createResponseChecker(document: OpenApiDocument): ResponseChecker {
  const schemaCheck = createSchemaValidator(document);
  return (observed) => {
    const at = `${observed.method.toUpperCase()} ${observed.path} → ${observed.status}`;
    const entry = findOperation(document, observed.method, observed.path);
    if (entry === undefined) return [`${at}: no operation in the spec`];
    const responses = entry.operation.responses ?? {};
    const declared =
      responses[String(observed.status)] ?? responses[`${String(observed.status)[0]}XX`] ?? responses.default;
    if (declared === undefined)
      return [`${at}: status not documented for ${entry.operation.operationId ?? entry.path}`];
    const response = dereference<ResponseObject>(document, declared);
    const problems: string[] = [];
    for (const header of Object.keys(response.headers ?? {})) {
      if (observed.headers && observed.headers.get(header) === null)
        problems.push(`${at}: header ${header} is missing`);
    }
    const content = Object.entries(response.content ?? {});
    if (content.length === 0) {
      if (observed.body !== undefined && observed.body !== '')
        problems.push(`${at}: a body was sent where none is documented`);
      return problems;
    }
    const sentType = mediaTypeBase(observed.contentType ?? '');
    const media = content.find(([type]) => mediaTypeBase(type) === sentType)?.[1];
    if (media === undefined)
      return [...problems, `${at}: content type "${observed.contentType ?? ''}" is not documented`];
    if (media.schema !== undefined)
      problems.push(...schemaCheck(media.schema)(observed.body).map((problem) => `${at}: ${problem}`));
    return problems;
  };
}
