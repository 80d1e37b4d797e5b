import { AppError, type ErrorDetail } from '@overcast/contracts';
import {
  isReference,
  resolveReference,
  type HttpMethod,
  type OpenApiDocument,
  type OperationObject,
  type ParameterObject,
  type ReferenceObject,
  type RequestBodyObject,
} from '@overcast/api-spec';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { findUnstorableText } from '@overcast/service-kit';
import type { Request } from 'express';
import { describeValidationErrors, type InputLocation } from './validation-errors';

/** What a handler reads: the request's parts after validation, with defaults applied and parameters typed. */
export interface ValidatedInput {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  body: unknown;
}

export type OperationValidator = (req: Request) => ValidatedInput;

const documentId = 'urn:overcast:openapi';
const parameterLocations = { path: 'path', query: 'query', header: 'headers' } as const;
const inputLocations = ['path', 'query', 'headers', 'body'] as const;

function pointer(...segments: string[]): string {
  return `${documentId}#/${segments.map((segment) => segment.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(req.headers['content-length'] ?? 0);
  return Number.isFinite(length) && length > 0;
}

/**
 * Compiles, once at start, a validator for every operation of the spec: path, query and header
 * parameters (coerced from strings to their declared types) and the request body by content type.
 * Every problem is reported at once, each naming its field (`body.instance_builds.count`), strings that Postgres
 * text cannot store (NUL, unpaired surrogates) included.
 */
export function createOpenApiValidator(document: OpenApiDocument) {
  // Parameters arrive as strings and are coerced; bodies are JSON and must already have the right types.
  const parameterAjv = new Ajv2020({ strict: false, allErrors: true, coerceTypes: true, useDefaults: true });
  const bodyAjv = new Ajv2020({ strict: false, allErrors: true, useDefaults: true });
  for (const ajv of [parameterAjv, bodyAjv]) {
    addFormats(ajv);
    ajv.addSchema({ ...(document as object), $id: documentId });
  }

  const resolve = <T extends object>(value: T | ReferenceObject): T =>
    isReference(value) ? resolveReference<T>(document, value.$ref) : value;

  function parametersOf(path: string, method: HttpMethod): { parameter: ParameterObject; ref: string }[] {
    const pathItem = document.paths[path];
    const operation = pathItem?.[method];
    const byKey = new Map<string, { parameter: ParameterObject; ref: string }>();
    const collect = (list: (ParameterObject | ReferenceObject)[] | undefined, owner: string[]) => {
      list?.forEach((entry, index) => {
        const parameter = resolve<ParameterObject>(entry);
        const ref = isReference(entry)
          ? entry.$ref.replace(/^#/, `${documentId}#`)
          : pointer(...owner, 'parameters', String(index), 'schema');
        byKey.set(`${parameter.in}:${parameter.name.toLowerCase()}`, {
          parameter,
          ref: isReference(entry) ? `${ref}/schema` : ref,
        });
      });
    };
    collect(pathItem?.parameters, ['paths', path]);
    collect(operation?.parameters, ['paths', path, method]);
    return [...byKey.values()];
  }

  function compileParameters(path: string, method: HttpMethod) {
    const schemas = { path: newObjectSchema(), query: newObjectSchema(), headers: newObjectSchema() };
    for (const { parameter, ref } of parametersOf(path, method)) {
      if (parameter.in === 'cookie') continue;
      const target = schemas[parameterLocations[parameter.in]];
      const name = parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name;
      target.properties[name] = parameter.schema ? { $ref: ref } : {};
      if (parameter.required || parameter.in === 'path') target.required.push(name);
    }
    return {
      path: parameterAjv.compile(schemas.path),
      query: parameterAjv.compile(schemas.query),
      headers: parameterAjv.compile(schemas.headers),
      headerNames: Object.keys(schemas.headers.properties),
    };
  }

  function compileBody(path: string, method: HttpMethod, operation: OperationObject) {
    if (!operation.requestBody) return null;
    const requestBody = resolve<RequestBodyObject>(operation.requestBody);
    const base = isReference(operation.requestBody)
      ? operation.requestBody.$ref.replace(/^#/, `${documentId}#`)
      : pointer('paths', path, method, 'requestBody');
    const byType = Object.entries(requestBody.content).map(([type, media]) => ({
      type,
      validate: media.schema
        ? bodyAjv.compile({ $ref: `${base}/content/${type.replace(/~/g, '~0').replace(/\//g, '~1')}/schema` })
        : null,
    }));
    return { required: requestBody.required === true, byType };
  }

  function check(location: InputLocation, validate: ValidateFunction, value: unknown, details: ErrorDetail[]): void {
    if (!validate(value)) details.push(...describeValidationErrors(location, validate.errors ?? []));
  }

  return function validatorFor(method: HttpMethod, path: string): OperationValidator {
    const operation = document.paths[path]?.[method];
    if (!operation) throw new Error(`the OpenAPI spec has no operation ${method.toUpperCase()} ${path}`);
    const parameters = compileParameters(path, method);
    const body = compileBody(path, method, operation);

    return (req) => {
      const details: ErrorDetail[] = [];
      const input: ValidatedInput = {
        path: { ...req.params },
        query: withoutEmptyValues(req.query as Record<string, unknown>),
        headers: Object.fromEntries(
          parameters.headerNames.flatMap((name) =>
            req.headers[name] === undefined ? [] : [[name, req.headers[name]]],
          ),
        ),
        body: undefined,
      };
      check('path', parameters.path, input.path, details);
      check('query', parameters.query, input.query, details);
      check('headers', parameters.headers, input.headers, details);
      if (body && hasBody(req)) {
        // The gateway parsed the body as the operation's media type whatever its label (create-app.ts).
        const match = body.byType.find((candidate) => req.is(candidate.type)) ?? body.byType[0];
        if (!match) throw new Error(`${method.toUpperCase()} ${path} declares a request body without a media type`);
        input.body = req.body as unknown;
        if (match.validate) check('body', match.validate, input.body, details);
      } else if (body?.required) {
        details.push({ path: 'body', message: 'is required' });
      }
      // Any string a handler may store, in any part of the request: refused here, naming it, rather than failing the write.
      for (const location of inputLocations) details.push(...findUnstorableText(input[location], location));
      if (details.length > 0) throw new AppError('bad_request', 'The request is invalid.', { details });
      return input;
    };
  };
}

/** An empty query parameter (`?site=&env=`, as hubot-pudding sends for no filter) is not given. */
function withoutEmptyValues(query: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ''));
}

function newObjectSchema(): { type: 'object'; properties: Record<string, object>; required: string[] } {
  return { type: 'object', properties: {}, required: [] };
}

export type OpenApiValidatorFactory = ReturnType<typeof createOpenApiValidator>;
