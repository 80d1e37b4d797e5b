import { AppError, contextFrom, type appManagerRpcs, type ServiceStatus } from '@overcast/contracts';
import type { Delivery, RpcHandlers } from '@overcast/messaging';
import { findUnstorableText } from '@overcast/service-kit';
import type { AppUseCases } from '../domain/app-use-cases';
import type { DistrictUseCases } from '../domain/district-use-cases';
import type { OneoffUseCases } from '../domain/oneoff-use-cases';
import type { ReleaseUseCases } from '../domain/release-use-cases';

/** Text Postgres cannot store (a NUL) is refused naming its field, never a 500 from the statement. */
function storable<T>(request: T): T {
  const details = findUnstorableText(request, 'request');
  if (details.length > 0)
    throw new AppError('bad_request', 'The request holds text that cannot be stored.', { details });
  return request;
}

export interface AppManagerUseCases {
  districts: DistrictUseCases;
  apps: AppUseCases;
  releases: ReleaseUseCases;
  oneoffs: OneoffUseCases;
}

/** Thin: the bus validated each request against its schema; each handler calls one use case. */
export function createRpcHandlers(
  { districts, apps, releases, oneoffs }: AppManagerUseCases,
  status: () => Promise<ServiceStatus>,
): RpcHandlers<typeof appManagerRpcs> {
  const from = (delivery: Delivery) => contextFrom(delivery.envelope);
  return {
    'district.create': (request) => districts.createDistrict(storable(request)),
    'district.list': ({ tenantId }) => districts.listDistricts(tenantId),
    'district.get': ({ tenantId, name }) => districts.getDistrict(tenantId, name),
    'district.update': (request) => districts.updateDistrict(storable(request)),
    'district.delete': ({ tenantId, name }) => districts.deleteDistrict(tenantId, name),
    'district.launch-instances': ({ tenantId, name, count, instance_type }) =>
      districts.launchInstances(tenantId, name, count, instance_type),
    'app.create': (request, delivery) => apps.createApp(storable(request), from(delivery)),
    'app.list': ({ tenantId, district }) => apps.listApps(tenantId, district),
    'app.get': ({ tenantId, app }) => apps.getApp(tenantId, app),
    'app.update': (request, delivery) => apps.updateApp(storable(request), from(delivery)),
    'app.delete': ({ tenantId, app }) => apps.deleteApp(tenantId, app),
    'app.env.set': (request, delivery) =>
      apps.setEnvVars(request.tenantId, request.app, storable(request).env_vars, from(delivery)),
    'app.env.unset': (request, delivery) =>
      apps.unsetEnvVars(request.tenantId, request.app, request.env_keys, from(delivery)),
    'app.service.scale': (request, delivery) =>
      apps.scaleService(request.tenantId, request.app, request.service, request.scale, from(delivery)),
    'oneoff.run': (request, delivery) => oneoffs.runOneoff(storable(request), from(delivery)),
    'oneoff.get': ({ tenantId, id }) => oneoffs.getOneoff(tenantId, id),
    'release.list': ({ tenantId, app }) => releases.listReleases(tenantId, app),
    'release.get': ({ tenantId, app, version }) => releases.getRelease(tenantId, app, version),
    'release.rollback': ({ tenantId, app, version }, delivery) =>
      releases.rollback(tenantId, app, version, from(delivery)),
    'app.events': ({ tenantId, app, limit }) => releases.listEvents(tenantId, app, limit),
    'app.drift': ({ tenantId, app }) => releases.drift(tenantId, app),
    'app-manager.status': () => status(),
    'app-manager.quotas': ({ tenantId }) => districts.quotas(tenantId),
  };
}
