import type { RequestOf, ResponseOf, RpcDefinition } from '@overcast/contracts';
import type { Bus } from '@overcast/messaging';
import { correlation } from '@overcast/service-kit';

/**
 * How routes reach services: an RPC over the bus carrying the request's correlation id. A late reply
 * rejects with `timeout` (504), an unreachable broker with `unavailable` (503), a service's AppError as itself.
 */
export function createRpcClient(bus: Bus, timeoutMs: number) {
  return function call<D extends RpcDefinition>(definition: D, request: RequestOf<D>): Promise<ResponseOf<D>> {
    const context = correlation.current();
    return bus.call(definition, request, context ? { timeoutMs, context } : { timeoutMs });
  };
}

export type RpcClient = ReturnType<typeof createRpcClient>;
