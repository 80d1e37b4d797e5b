import {
  AppError,
  createAccountRpc,
  createDatacenterRpc,
  deleteDatacenterRpc,
  getDatacenterRpc,
  listDatacentersRpc,
  matchDatacentersRpc,
  updateDatacenterRpc,
} from '@overcast/contracts';
import { deploymentFileOf } from '../deployment-file-body';
import { principalOf } from '../request-context';
import { defineRoute, type RouteDefinition } from '../route-definition';
import type { RpcClient } from '../rpc-client';
import { datacenterToWire, profileFromWire } from '../wire/registry-wire';
import { pathIdFor } from './forwarded-values';

/** Photon's AccountCreate and DatacenterCreate take a public key; a CSR does as well. One of them is required. */
function keyMaterialOf(body: { public_key?: string; csr?: string }) {
  if (body.public_key === undefined && body.csr === undefined) {
    throw new AppError('bad_request', 'The request is invalid.', {
      details: [{ path: 'body.public_key', message: 'give public_key (SPKI, PEM) or csr (PKCS#10, PEM)' }],
    });
  }
  return { publicKey: body.public_key, csr: body.csr };
}

/** Registry accounts and datacenters (Photon's Registry service), answered by the registry. */
export function datacenterRoutes(deps: { call: RpcClient }): RouteDefinition[] {
  return [
    defineRoute({
      method: 'post',
      path: '/registry/accounts',
      async handle(_req, res, { body }) {
        const account = await deps.call(createAccountRpc, {
          tenantId: principalOf(res).tenantId,
          email: body.email,
          key: keyMaterialOf(body),
        });
        res.status(201).json({
          id: account.id,
          email: account.email,
          certificate: account.certificate,
          ca_bundle: account.caBundle,
        });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/datacenters',
      async handle(_req, res, { body }) {
        const issued = await deps.call(createDatacenterRpc, {
          tenantId: principalOf(res).tenantId,
          name: body.name,
          region: body.region,
          endpoint: body.endpoint,
          key: keyMaterialOf(body),
          profiles: body.profiles.map(profileFromWire),
        });
        res
          .status(201)
          .location(`/datacenters/${issued.datacenter.id}`)
          .json({
            datacenter: datacenterToWire(issued.datacenter),
            certificate: issued.certificate,
            ca_bundle: issued.caBundle,
          });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/datacenters',
      async handle(_req, res) {
        const { datacenters } = await deps.call(listDatacentersRpc, { tenantId: principalOf(res).tenantId });
        res.json({ datacenters: datacenters.map(datacenterToWire) });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/datacenters/match',
      async handle(req, res) {
        const verdict = await deps.call(matchDatacentersRpc, {
          tenantId: principalOf(res).tenantId,
          source: deploymentFileOf(req),
        });
        res.json(verdict);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/datacenters/{id}',
      async handle(_req, res, { path }) {
        const datacenter = await deps.call(getDatacenterRpc, {
          tenantId: principalOf(res).tenantId,
          id: pathIdFor(getDatacenterRpc.request, path.id, 'datacenter not found'),
        });
        res.json(datacenterToWire(datacenter));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/datacenters/{id}',
      async handle(_req, res, { path, body }) {
        const datacenter = await deps.call(updateDatacenterRpc, {
          tenantId: principalOf(res).tenantId,
          id: pathIdFor(updateDatacenterRpc.request, path.id, 'datacenter not found'),
          endpoint: body.endpoint,
          profiles: body.profiles?.map(profileFromWire),
        });
        res.json(datacenterToWire(datacenter));
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/datacenters/{id}',
      async handle(_req, res, { path }) {
        await deps.call(deleteDatacenterRpc, {
          tenantId: principalOf(res).tenantId,
          id: pathIdFor(deleteDatacenterRpc.request, path.id, 'datacenter not found'),
        });
        res.status(204).end();
      },
    }),
  ];
}
