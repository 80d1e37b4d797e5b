import type { HttpMethod } from '@overcast/api-spec';
import type { ErrorDetail } from '@overcast/contracts';
import type { Request, Response } from 'express';
import type { paths } from './generated/openapi';
import type { ValidatedInput } from './openapi-validator';

/** A path template of the spec, e.g. `/instances/{id}`. */
export type SpecPath = keyof paths;

/** The methods the spec defines on a path (openapi-typescript writes the others as `never`). */
export type SpecMethod<P extends SpecPath> = {
  [M in HttpMethod]: [NonNullable<paths[P][M]>] extends [never] ? never : M;
}[HttpMethod];

type OperationOf<P extends SpecPath, M extends SpecMethod<P>> = NonNullable<paths[P][M]>;

type ParameterOf<O, K extends string> = O extends { parameters: infer Parameters }
  ? K extends keyof Parameters
    ? Parameters[K]
    : never
  : never;
type ParameterPart<T> = [NonNullable<T>] extends [never] ? Record<string, never> : NonNullable<T>;
// Node lowercases header names; the spec writes them as sent (`Idempotency-Key`).
type LowercaseKeys<T> = { [K in keyof T as Lowercase<K & string>]: T[K] };

type BodyOf<O> = O extends { requestBody?: infer Body }
  ? [NonNullable<Body>] extends [never]
    ? undefined
    : NonNullable<Body> extends { content: infer Content }
      ? Content[keyof Content] | (undefined extends Body ? undefined : never)
      : never
  : undefined;

/** What a handler reads: the operation's parameters and body as the spec types them, after validation. */
export interface InputOf<O> {
  path: ParameterPart<ParameterOf<O, 'path'>>;
  query: ParameterPart<ParameterOf<O, 'query'>>;
  headers: LowercaseKeys<ParameterPart<ParameterOf<O, 'header'>>>;
  body: BodyOf<O>;
}

type ResponsesOf<O> = O extends { responses: infer Responses } ? Responses : never;
// Handlers answer successes (errors go through the error middleware), and cloud-brain's 410 with the instance.
type AnsweredStatus<R> = {
  [K in keyof R]: K extends 410 ? K : `${K & number}` extends `2${string}` ? K : never;
}[keyof R];
type ContentOf<T> = T extends { content: infer Content } ? Content[keyof Content] : never;

/** The bodies a handler may send: the union of the operation's answered responses in every media type. */
export type ResponseBodyOf<O> = ContentOf<ResponsesOf<O>[AnsweredStatus<ResponsesOf<O>>]>;

interface RouteOptions {
  /** Probes and metrics are not rate-limited: a scraper must never see 429. */
  unlimited?: boolean;
  /**
   * The handler reads the body itself as it streams (a disk image): no parser, no size cap at the gateway. It calls
   * `continueBody` once it has checked what it must before the body comes (a client may wait for 100 Continue).
   */
  streamsBody?: boolean;
  /**
   * For a client that waits for 100 Continue before sending its body: checked after authentication and the rate
   * limit, before the client is told to send the body, so that an upload the service would refuse (another tenant's
   * resource) is answered without its bytes. Others' bodies are on their way already: the handler's call checks.
   */
  checkBeforeBody?: (req: Request, res: Response) => Promise<void>;
  /** Rewords validation problems where a legacy client expects the original's messages. */
  rewordValidation?: (detail: ErrorDetail) => ErrorDetail;
}

/** One operation of the spec as a route is written: input and response bodies typed by the generated spec. */
export interface SpecRoute<P extends SpecPath, M extends SpecMethod<P>> extends RouteOptions {
  method: M;
  path: P;
  handle(
    req: Request,
    res: Response<ResponseBodyOf<OperationOf<P, M>>>,
    input: InputOf<OperationOf<P, M>>,
  ): Promise<void> | void;
}

/** One operation of the spec as the gateway serves it; handlers stay thin (parse, one call, map). */
export interface RouteDefinition extends RouteOptions {
  method: HttpMethod;
  path: SpecPath;
  handle(req: Request, res: Response, input: ValidatedInput): Promise<void> | void;
}

/**
 * A route typed from the spec, so a change of the spec that a handler does not follow fails to compile. The one
 * place where validated input meets its type: `createOpenApiValidator` checked it (coerced, defaults applied)
 * against the same document the types are generated from, before any handler runs.
 */
export function defineRoute<P extends SpecPath, M extends SpecMethod<P>>(route: SpecRoute<P, M>): RouteDefinition {
  return {
    method: route.method,
    path: route.path,
    unlimited: route.unlimited,
    rewordValidation: route.rewordValidation,
    streamsBody: route.streamsBody,
    checkBeforeBody: route.checkBeforeBody,
    handle: (req, res, input) => route.handle(req, res, input as InputOf<OperationOf<P, M>>),
  };
}

/** `/instances/{id}` → `/instances/:id` (express 5 / path-to-regexp syntax). */
export function expressPathOf(template: string): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}
