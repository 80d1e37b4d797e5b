import {
  createCloudAccountRpc,
  getCloudAccountRpc,
  ingestActivityLogRpc,
  listCloudAccountsRpc,
  renameCloudAccountRpc,
} from '@overcast/contracts';
import { principalOf } from '../request-context';
import { defineRoute, type RouteDefinition } from '../route-definition';
import type { RpcClient } from '../rpc-client';
import { cloudAccountToWire, ingestionToWire, usageUrls } from '../wire/usage-wire';
import { pageLinks, usageIdOf } from './usage-values';

export interface UsageRouteDeps {
  call: RpcClient;
  publicUrl: () => string;
}

/** cloudigrade's accounts (`/api/v1/account/`): list, register, get, rename; and a CloudTrail file's upload. */
export function usageAccountRoutes(deps: UsageRouteDeps): RouteDefinition[] {
  const urls = () => usageUrls(deps.publicUrl());
  const rename = async (tenantId: string, id: string, body: { name?: string | null; account_arn?: string }) =>
    cloudAccountToWire(
      await deps.call(renameCloudAccountRpc, {
        tenantId,
        id: usageIdOf(id),
        name: body.name,
        accountArn: body.account_arn,
      }),
      urls(),
    );
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/account/',
      async handle(req, res, { query }) {
        const limit = query.limit ?? 10;
        const offset = query.offset ?? 0;
        const page = await deps.call(listCloudAccountsRpc, { tenantId: principalOf(res).tenantId, limit, offset });
        res.json({
          count: page.count,
          ...pageLinks(req, deps.publicUrl(), { count: page.count, limit, offset }),
          results: page.results.map((account) => cloudAccountToWire(account, urls())),
        });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/account/',
      async handle(_req, res, { body }) {
        const account = await deps.call(createCloudAccountRpc, {
          tenantId: principalOf(res).tenantId,
          type: body.resourcetype === 'AwsAccount' ? 'aws' : 'local',
          name: body.name,
          accountArn: body.account_arn,
        });
        const wire = cloudAccountToWire(account, urls());
        res.status(201).location(wire.url).json(wire);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/account/{id}/',
      async handle(_req, res, { path }) {
        const account = await deps.call(getCloudAccountRpc, {
          tenantId: principalOf(res).tenantId,
          id: usageIdOf(path.id),
        });
        res.json(cloudAccountToWire(account, urls()));
      },
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/account/{id}/',
      async handle(_req, res, { path, body }) {
        res.json(await rename(principalOf(res).tenantId, path.id, body));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/account/{id}/',
      async handle(_req, res, { path, body }) {
        res.json(await rename(principalOf(res).tenantId, path.id, body));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/account/{id}/activity-logs',
      // The account is the caller's before a client waiting for 100 Continue sends the file.
      async checkBeforeBody(req, res) {
        await deps.call(getCloudAccountRpc, { tenantId: principalOf(res).tenantId, id: usageIdOf(req.params.id) });
      },
      async handle(req, res, { path }) {
        const file = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const ingestion = await deps.call(ingestActivityLogRpc, {
          tenantId: principalOf(res).tenantId,
          accountId: usageIdOf(path.id),
          contentBase64: file.toString('base64'),
        });
        res.json(ingestionToWire(ingestion));
      },
    }),
  ];
}
