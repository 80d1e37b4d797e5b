import type { Catalog, MessageDefinition, RpcDefinition } from '@overcast/contracts';
import type { MessageHandler, RpcHandler } from '../bus';

function assertHandlers(where: string, catalog: Catalog, handlers: object): void {
  const types = Object.keys(catalog);
  if (types.length === 0) throw new TypeError(`${where}: the catalog is empty`);
  for (const type of types) {
    if (typeof (handlers as Record<string, unknown>)[type] !== 'function')
      throw new TypeError(`${where}: handlers['${type}'] is missing`);
  }
}

/** The typed handler map as the transports index it; a catalog entry without a handler is refused up front. */
export function messageHandlersOf(
  queue: string,
  catalog: Catalog<MessageDefinition>,
  handlers: object,
): Record<string, MessageHandler<unknown>> {
  for (const definition of Object.values(catalog)) {
    if ((definition.kind as string) === 'rpc')
      throw new TypeError(`consume ${queue}: ${definition.type} is an RPC; serve it instead`);
  }
  assertHandlers(`consume ${queue}`, catalog, handlers);
  return handlers as Record<string, MessageHandler<unknown>>;
}

export function rpcHandlersOf(
  service: string,
  catalog: Catalog<RpcDefinition>,
  handlers: object,
): Record<string, RpcHandler<unknown, unknown>> {
  for (const definition of Object.values(catalog)) {
    if (definition.kind !== 'rpc') throw new TypeError(`serve ${service}: ${definition.type} is not an RPC`);
    if (definition.service !== service)
      throw new TypeError(`serve ${service}: ${definition.type} belongs to ${definition.service}`);
  }
  assertHandlers(`serve ${service}`, catalog, handlers);
  return handlers as Record<string, RpcHandler<unknown, unknown>>;
}
