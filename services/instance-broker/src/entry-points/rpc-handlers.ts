import type { instanceBrokerRpcs} from '@overcast/contracts';
import { contextFrom, type ServiceStatus } from '@overcast/contracts';
import type { RpcHandlers } from '@overcast/messaging';
import type { UseCases } from '../domain/use-cases';

export interface StatusSource {
  status(): Promise<ServiceStatus>;
}

/** Thin: the bus validated the request against its schema; each handler calls one use case. */
export function createRpcHandlers(useCases: UseCases, status: StatusSource): RpcHandlers<typeof instanceBrokerRpcs> {
  return {
    'instance.create': (request, delivery) => useCases.createInstance(request, contextFrom(delivery.envelope)),
    'instance.get': (request) => useCases.getInstance(request),
    'instance.list': (request) => useCases.listInstances(request),
    'instance.terminate': (request, delivery) => useCases.terminateInstance(request, contextFrom(delivery.envelope)),
    'instance.console': (request) => useCases.readInstanceConsole(request),
    'instance-build.create': (request, delivery) => useCases.createInstanceBuild(request, contextFrom(delivery.envelope)),
    'instance-build.get': (request) => useCases.getInstanceBuild(request),
    'instance-build.update': (request, delivery) => useCases.updateInstanceBuild(request, contextFrom(delivery.envelope)),
    'init-script.get': (request) => useCases.getInitScript(request),
    'image.list': (request) => useCases.listImages(request),
    'image.register': (request) => useCases.registerImage(request),
    'image.activate': (request) => useCases.activateImage(request),
    'instance-broker.status': () => status.status(),
  };
}
