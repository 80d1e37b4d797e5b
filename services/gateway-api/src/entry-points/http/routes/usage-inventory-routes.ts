import {
  challengeMachineImageRpc,
  getMachineImageRpc,
  getPowerEventRpc,
  getTrackedInstanceRpc,
  listMachineImagesRpc,
  listPowerEventsRpc,
  listTrackedInstancesRpc,
  usageSysconfigRpc,
} from '@overcast/contracts';
import { principalOf } from '../request-context';
import { defineRoute, type RouteDefinition } from '../route-definition';
import { machineImageToWire, powerEventToWire, trackedInstanceToWire, usageUrls } from '../wire/usage-wire';
import type { UsageRouteDeps } from './usage-account-routes';
import { pageLinks, usageIdOf } from './usage-values';

/** cloudigrade's instances, events, images (challenges the only writes) and sysconfig. */
export function usageInventoryRoutes(deps: UsageRouteDeps): RouteDefinition[] {
  const urls = () => usageUrls(deps.publicUrl());
  const challenge = async (
    tenantId: string,
    id: string,
    body: { rhel_challenged?: boolean; openshift_challenged?: boolean },
  ) =>
    machineImageToWire(
      await deps.call(challengeMachineImageRpc, {
        tenantId,
        id: usageIdOf(id),
        rhelChallenged: body.rhel_challenged,
        openshiftChallenged: body.openshift_challenged,
      }),
      urls(),
    );
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/instance/',
      async handle(req, res, { query }) {
        const limit = query.limit ?? 10;
        const offset = query.offset ?? 0;
        const page = await deps.call(listTrackedInstancesRpc, { tenantId: principalOf(res).tenantId, limit, offset });
        res.json({
          count: page.count,
          ...pageLinks(req, deps.publicUrl(), { count: page.count, limit, offset }),
          results: page.results.map((instance) => trackedInstanceToWire(instance, urls())),
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/instance/{id}/',
      async handle(_req, res, { path }) {
        const instance = await deps.call(getTrackedInstanceRpc, {
          tenantId: principalOf(res).tenantId,
          id: usageIdOf(path.id),
        });
        res.json(trackedInstanceToWire(instance, urls()));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/event/',
      async handle(req, res, { query }) {
        const limit = query.limit ?? 10;
        const offset = query.offset ?? 0;
        const page = await deps.call(listPowerEventsRpc, {
          tenantId: principalOf(res).tenantId,
          limit,
          offset,
          instanceId: query.instance_id,
        });
        res.json({
          count: page.count,
          ...pageLinks(req, deps.publicUrl(), { count: page.count, limit, offset }),
          results: page.results.map((event) => powerEventToWire(event, urls())),
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/event/{id}/',
      async handle(_req, res, { path }) {
        const event = await deps.call(getPowerEventRpc, {
          tenantId: principalOf(res).tenantId,
          id: usageIdOf(path.id),
        });
        res.json(powerEventToWire(event, urls()));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/image/',
      async handle(req, res, { query }) {
        const limit = query.limit ?? 10;
        const offset = query.offset ?? 0;
        const page = await deps.call(listMachineImagesRpc, { tenantId: principalOf(res).tenantId, limit, offset });
        res.json({
          count: page.count,
          ...pageLinks(req, deps.publicUrl(), { count: page.count, limit, offset }),
          results: page.results.map((image) => machineImageToWire(image, urls())),
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/image/{id}/',
      async handle(_req, res, { path }) {
        const image = await deps.call(getMachineImageRpc, {
          tenantId: principalOf(res).tenantId,
          id: usageIdOf(path.id),
        });
        res.json(machineImageToWire(image, urls()));
      },
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/image/{id}/',
      async handle(_req, res, { path, body }) {
        res.json(await challenge(principalOf(res).tenantId, path.id, body));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/image/{id}/',
      async handle(_req, res, { path, body }) {
        res.json(await challenge(principalOf(res).tenantId, path.id, body));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/sysconfig/',
      async handle(_req, res) {
        const { awsAccountId } = await deps.call(usageSysconfigRpc, { tenantId: principalOf(res).tenantId });
        res.json({ aws_account_id: awsAccountId });
      },
    }),
  ];
}
