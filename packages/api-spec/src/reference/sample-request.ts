import type { OpenApiDocument, ParameterObject, RequestBodyObject, ResponseObject } from '../openapi-document';
import type { DocumentedOperation } from '../walk-document';
import { dereference } from '../walk-document';
import { exampleForMedia, exampleForSchema } from './example-value';

/** How a sample authenticates: the API token, other Basic credentials (init scripts), or nothing. */
export type SampleAuth = 'token' | 'basic' | 'none';

/** One concrete call of an operation, made from the spec alone: what every code sample renders. */
export interface SampleRequest {
  method: string;
  /** The path template, e.g. `/instances/{id}` (the SDK takes it as written). */
  template: string;
  /** The template with its path parameters filled in. */
  path: string;
  pathParameters: Record<string, string>;
  /** Required query parameters and those the spec gives an example for. */
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: { contentType: string; value: unknown };
  auth: SampleAuth;
  /** Whether a success answers JSON (the SDK parses anything else as text). */
  answersJson: boolean;
}

const tokenSchemes = new Set(['tokenAuth', 'bearerAuth', 'basicAuth', 'barcelonaToken']);

export function sampleRequest(entry: DocumentedOperation, document: OpenApiDocument): SampleRequest {
  const { method, path: template, operation } = entry;
  const parameters = entry.parameters.map((parameter) => dereference<ParameterObject>(document, parameter));
  const valueOf = (parameter: ParameterObject) =>
    String(parameter.example ?? (parameter.schema ? exampleForSchema(parameter.schema, document) : parameter.name));
  const pick = (where: ParameterObject['in'], all: boolean) =>
    Object.fromEntries(
      parameters
        .filter((parameter) => parameter.in === where && (all || parameter.required || parameter.example !== undefined))
        .map((parameter) => [parameter.name, valueOf(parameter)]),
    );
  const pathParameters = pick('path', true);
  const path = template.replace(/\{([^}]+)\}/g, (_whole, name: string) =>
    encodeURIComponent(pathParameters[name] ?? name),
  );
  const sample: SampleRequest = {
    method: method.toUpperCase(),
    template,
    path,
    pathParameters,
    query: pick('query', false),
    headers: pick('header', false),
    auth: authOf(operation.security ?? document.security ?? []),
    answersJson: answersJson(Object.entries(operation.responses ?? {}), document),
  };
  const body = operation.requestBody && dereference<RequestBodyObject>(document, operation.requestBody);
  const [contentType, media] = Object.entries(body?.content ?? {})[0] ?? [];
  if (contentType !== undefined && media !== undefined) {
    sample.body = { contentType, value: exampleForMedia(media, document) ?? {} };
  }
  return sample;
}

function authOf(requirements: Record<string, string[]>[]): SampleAuth {
  const schemes = requirements.flatMap((requirement) => Object.keys(requirement));
  if (schemes.length === 0) return 'none';
  return schemes.some((scheme) => tokenSchemes.has(scheme)) ? 'token' : 'basic';
}

function answersJson(responses: [string, unknown][], document: OpenApiDocument): boolean {
  const success = responses.find(([status]) => status.startsWith('2'));
  if (success === undefined) return true;
  const content = dereference<ResponseObject>(document, success[1] as ResponseObject).content;
  return content === undefined || Object.keys(content).some((type) => type.includes('json'));
}

/** `?a=1&b=2`, or nothing. */
export function queryString(sample: SampleRequest): string {
  const query = new URLSearchParams(sample.query).toString();
  return query === '' ? '' : `?${query}`;
}

/** The body as it goes on the wire: JSON pretty-printed, a form as `a=1&b=2`, text as is. */
export function wireBody(body: NonNullable<SampleRequest['body']>): string {
  if (body.contentType === 'application/x-www-form-urlencoded') {
    const fields = Object.entries(body.value as Record<string, unknown>).map(([key, value]): [string, string] => [
      key,
      String(value),
    ]);
    return new URLSearchParams(fields).toString();
  }
  return typeof body.value === 'string' && !body.contentType.includes('json')
    ? body.value
    : JSON.stringify(body.value, null, 2);
}
