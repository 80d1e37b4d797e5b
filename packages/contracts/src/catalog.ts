import type { z } from 'zod';

/**
 * A command is work for exactly one service (routed to that service's durable work queue);
 * an event is a fact any number of subscribers may react to; an RPC is a request answered by its service.
 * Wire names (`type`) never change once shipped; a breaking payload change is a new `version`.
 */
export interface CommandDefinition<TType extends string = string, TSchema extends z.ZodType = z.ZodType> {
  kind: 'command';
  type: TType;
  version: number;
  service: string;
  schema: TSchema;
}

export interface EventDefinition<TType extends string = string, TSchema extends z.ZodType = z.ZodType> {
  kind: 'event';
  type: TType;
  version: number;
  schema: TSchema;
}

export interface RpcDefinition<
  TType extends string = string,
  TRequest extends z.ZodType = z.ZodType,
  TResponse extends z.ZodType = z.ZodType,
> {
  kind: 'rpc';
  type: TType;
  version: number;
  service: string;
  request: TRequest;
  response: TResponse;
}

export type MessageDefinition = CommandDefinition | EventDefinition;

export function defineCommand<const TType extends string, TSchema extends z.ZodType>(definition: {
  type: TType;
  service: string;
  schema: TSchema;
  version?: number;
}): CommandDefinition<TType, TSchema> {
  return { kind: 'command', version: 1, ...definition };
}

export function defineEvent<const TType extends string, TSchema extends z.ZodType>(definition: {
  type: TType;
  schema: TSchema;
  version?: number;
}): EventDefinition<TType, TSchema> {
  return { kind: 'event', version: 1, ...definition };
}

export function defineRpc<
  const TType extends string,
  TRequest extends z.ZodType,
  TResponse extends z.ZodType,
>(definition: {
  type: TType;
  service: string;
  request: TRequest;
  response: TResponse;
  version?: number;
}): RpcDefinition<TType, TRequest, TResponse> {
  return { kind: 'rpc', version: 1, ...definition };
}

export type PayloadOf<D extends MessageDefinition> = z.infer<D['schema']>;
export type RequestOf<D extends RpcDefinition> = z.infer<D['request']>;
export type ResponseOf<D extends RpcDefinition> = z.infer<D['response']>;

/** A catalog is a set of definitions keyed by wire name; handler maps are typed over it. */
export type Catalog<D extends { type: string } = MessageDefinition | RpcDefinition> = Readonly<Record<string, D>>;

type CatalogOf<D extends readonly { type: string }[]> = { readonly [K in D[number] as K['type']]: K };

export function defineCatalog<const D extends readonly (MessageDefinition | RpcDefinition)[]>(
  ...definitions: D
): CatalogOf<D> {
  const catalog: Record<string, MessageDefinition | RpcDefinition> = {};
  for (const definition of definitions) {
    if (catalog[definition.type]) throw new Error(`duplicate message type in catalog: ${definition.type}`);
    catalog[definition.type] = definition;
  }
  return catalog as CatalogOf<D>;
}
