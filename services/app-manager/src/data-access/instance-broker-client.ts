import { createInstanceRpc } from '@overcast/contracts';
import type { Bus } from '@overcast/messaging';
import type { InstanceBroker } from '../domain/context';

/** The instance broker over the bus (its instance.create RPC, idempotent on the key). */
export function createInstanceBrokerClient(bus: Bus): InstanceBroker {
  return {
    async createInstance(request) {
      const instance = await bus.call(createInstanceRpc, request, { timeoutMs: 15_000 });
      return {
        id: instance.id,
        state: instance.state,
        instanceType: instance.instanceType,
        ipAddress: instance.ipAddress,
      };
    },
  };
}
