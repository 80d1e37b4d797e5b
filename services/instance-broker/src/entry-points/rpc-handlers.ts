import type { instanceBrokerRpcs } from '@overcast/contracts';
import { AppError, contextFrom, type ServiceStatus } from '@overcast/contracts';
import type { RpcHandlers } from '@overcast/messaging';
import { findUnstorableText } from '@overcast/service-kit';
import type { UseCases } from '../domain/use-cases';

export interface StatusSource {
  status(): Promise<ServiceStatus>;
}

/**
 * The request, when every string in it can be stored and queried in Postgres text; else bad_request naming each
 * one (`request.image`). The gateway refuses these already: this guards every other caller of the bus, so a NUL
 * never reaches a statement (22021), where it would answer 500.
 */
function storable<T>(request: T): T {
  const details = findUnstorableText(request, 'request');
  if (details.length > 0)
    throw new AppError('bad_request', 'The request holds text that cannot be stored.', { details });
  return request;
}

/** Thin: the bus validated the request against its schema; each handler calls one use case. */
export function createRpcHandlers(useCases: UseCases, status: StatusSource): RpcHandlers<typeof instanceBrokerRpcs> {
  return {
    'instance.create': (request, delivery) =>
      useCases.createInstance(storable(request), contextFrom(delivery.envelope)),
    'instance.get': (request) => useCases.getInstance(storable(request)),
    'instance.list': (request) => useCases.listInstances(storable(request)),
    'instance.terminate': (request, delivery) =>
      useCases.terminateInstance(storable(request), contextFrom(delivery.envelope)),
    'instance.console': (request) => useCases.readInstanceConsole(storable(request)),
    'instance-build.create': (request, delivery) =>
      useCases.createInstanceBuild(storable(request), contextFrom(delivery.envelope)),
    'instance-build.get': (request) => useCases.getInstanceBuild(storable(request)),
    'instance-build.update': (request, delivery) =>
      useCases.updateInstanceBuild(storable(request), contextFrom(delivery.envelope)),
    'init-script.get': (request) => useCases.getInitScript(storable(request)),
    'instance-build.report-lifecycle': (request, delivery) =>
      useCases.reportInstanceLifecycle(storable(request), contextFrom(delivery.envelope)),
    'instance-build.heartbeat': (request) => useCases.heartbeatInstance(storable(request)),
    'autoscaling-group-build.create': (request, delivery) =>
      useCases.createAutoscalingGroupBuild(storable(request), contextFrom(delivery.envelope)),
    'sns-message.receive': (request, delivery) =>
      useCases.receiveSnsMessage(storable(request), contextFrom(delivery.envelope)),
    'image.list': (request) => useCases.listImages(storable(request)),
    'image.register': (request) => useCases.registerImage(storable(request)),
    'image.activate': (request) => useCases.activateImage(storable(request)),
    'instance-broker.status': () => status.status(),
    'instance-broker.quotas': (request) => useCases.listQuotas(storable(request)),
  };
}
