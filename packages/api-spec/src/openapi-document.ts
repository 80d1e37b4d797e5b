/**
 * The parts of an OpenAPI 3.1 document this package reads. Deliberately loose (`unknown` where a value
 * can be any JSON): the YAML is the source of truth, these types only make walking it safe.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface ReferenceObject {
  $ref: string;
}

export interface SchemaObject {
  type?: string | string[];
  enum?: JsonValue[];
  const?: JsonValue;
  format?: string;
  description?: string;
  default?: JsonValue;
  properties?: Record<string, SchemaObject | ReferenceObject>;
  required?: string[];
  items?: SchemaObject | ReferenceObject;
  additionalProperties?: boolean | SchemaObject | ReferenceObject;
  allOf?: (SchemaObject | ReferenceObject)[];
  oneOf?: (SchemaObject | ReferenceObject)[];
  anyOf?: (SchemaObject | ReferenceObject)[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  $ref?: string;
}

export interface ExampleObject {
  summary?: string;
  value?: JsonValue;
}

export interface MediaTypeObject {
  schema?: SchemaObject | ReferenceObject;
  example?: JsonValue;
  examples?: Record<string, ExampleObject | ReferenceObject>;
}

export interface HeaderObject {
  description?: string;
  schema?: SchemaObject | ReferenceObject;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderObject | ReferenceObject>;
  content?: Record<string, MediaTypeObject>;
  /** Marks a 4xx/5xx whose body is a resource, not an error envelope (cloud-brain's 410, /readyz 503). */
  'x-overcast-resource-body'?: boolean;
}

export interface ParameterObject {
  name: string;
  in: 'query' | 'header' | 'path' | 'cookie';
  required?: boolean;
  description?: string;
  schema?: SchemaObject | ReferenceObject;
  example?: JsonValue;
}

export interface RequestBodyObject {
  required?: boolean;
  description?: string;
  content: Record<string, MediaTypeObject>;
}

export type SecurityRequirement = Record<string, string[]>;

export interface OperationObject {
  operationId?: string;
  tags?: string[];
  summary?: string;
  description?: string;
  security?: SecurityRequirement[];
  parameters?: (ParameterObject | ReferenceObject)[];
  requestBody?: RequestBodyObject | ReferenceObject;
  responses?: Record<string, ResponseObject | ReferenceObject>;
  /** The least role allowed to call it; the gateway enforces it (absent: any authenticated caller). */
  'x-overcast-role'?: 'admin' | 'developer';
  /** Kept for the original system's clients (pudding's greeting, shutdown, crash drill): labelled so on /docs. */
  'x-overcast-legacy'?: boolean;
}

export const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof httpMethods)[number];

export type PathItemObject = { [method in HttpMethod]?: OperationObject } & {
  parameters?: (ParameterObject | ReferenceObject)[];
  summary?: string;
  description?: string;
};

export interface SecuritySchemeObject {
  type: string;
  scheme?: string;
  in?: string;
  name?: string;
  description?: string;
}

export interface TagObject {
  name: string;
  description?: string;
  /** The sidebar group of the reference page (absent: `API`). */
  'x-overcast-group'?: string;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; summary?: string; description?: string };
  servers?: { url: string; description?: string }[];
  security?: SecurityRequirement[];
  tags?: TagObject[];
  paths: Record<string, PathItemObject>;
  components?: {
    schemas?: Record<string, SchemaObject>;
    responses?: Record<string, ResponseObject>;
    parameters?: Record<string, ParameterObject>;
    headers?: Record<string, HeaderObject>;
    examples?: Record<string, ExampleObject>;
    securitySchemes?: Record<string, SecuritySchemeObject>;
  };
}
