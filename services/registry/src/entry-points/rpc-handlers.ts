import type { registryRpcs, ServiceStatus } from '@overcast/contracts';
import { AppError } from '@overcast/contracts';
import type { RpcHandlers } from '@overcast/messaging';
import { findUnstorableText } from '@overcast/service-kit';
import type { DatacenterUseCases } from '../domain/datacenter-use-cases';
import type { DeploymentUseCases } from '../domain/deployment-use-cases';
import type { ReconcileUseCases } from '../domain/reconcile';

/** Text Postgres cannot store (a NUL) is refused naming its field, never a 500 from the statement. */
function storable<T>(request: T): T {
  const details = findUnstorableText(request, 'request');
  if (details.length > 0)
    throw new AppError('bad_request', 'The request holds text that cannot be stored.', { details });
  return request;
}

export interface RegistryUseCases {
  datacenters: DatacenterUseCases;
  deployments: DeploymentUseCases;
  reconcile: ReconcileUseCases;
}

/** Thin: the bus validated each request against its schema; each handler calls one use case. */
export function createRpcHandlers(
  { datacenters, deployments, reconcile }: RegistryUseCases,
  status: () => Promise<ServiceStatus>,
): RpcHandlers<typeof registryRpcs> {
  return {
    'registry.account.create': (request) => datacenters.createAccount(storable(request)),
    'datacenter.create': (request) => datacenters.createDatacenter(storable(request)),
    'datacenter.list': (request) => datacenters.listDatacenters(storable(request)),
    'datacenter.get': (request) => datacenters.getDatacenter(storable(request)),
    'datacenter.update': (request) => datacenters.updateDatacenter(storable(request)),
    'datacenter.delete': (request) => datacenters.deleteDatacenter(storable(request)),
    'datacenter.match': (request) => datacenters.matchDatacenters(storable(request)),
    'datacenter.heartbeat': (request) => reconcile.heartbeat(storable(request)),
    'deployment.validate': (request) => deployments.validateDeployment(storable(request)),
    'deployment.create': (request) => deployments.createDeployment(storable(request)),
    'deployment.list': (request) => deployments.listDeployments(storable(request)),
    'deployment.get': (request) => deployments.getDeployment(storable(request)),
    'deployment.update': (request) => deployments.updateDeployment(storable(request)),
    'deployment.delete': (request) => deployments.deleteDeployment(storable(request)),
    'deployment.events': (request) => deployments.listEvents(storable(request)),
    'deployment.notify': (request) => deployments.notify(storable(request)),
    'registry.status': () => status(),
  };
}
