import { z } from 'zod';
import { defineRpc } from '../catalog';
import { TenantScope } from '../platform';
import {
  ConfigProblem,
  Datacenter,
  DatacenterProfile,
  Deployment,
  DeploymentEvent,
  DeploymentSummary,
  IssuedCertificate,
  KeyMaterial,
  PlanStep,
  REGISTRY_SERVICE,
  RegistryName,
} from './registry';

// Every id the registry makes is a uuid: the gateway answers 404 for anything else before a query sees it.
const Id = z.uuid();
/** An overcast.yml as sent: YAML, or JSON (which YAML reads too). 1 MB, as the gateway's body limit. */
const ConfigSource = z.string().max(1_048_576);

export const createAccountRpc = defineRpc({
  type: 'registry.account.create',
  service: REGISTRY_SERVICE,
  // The spec checks the address (format: email); the contract is never stricter than the spec.
  request: TenantScope.extend({ email: z.string().min(1).max(320), key: KeyMaterial }),
  response: IssuedCertificate.extend({ id: z.uuid(), email: z.string() }),
});

export const CreateDatacenterRequest = TenantScope.extend({
  name: RegistryName,
  region: z.string().regex(/^[a-z]+(-[a-z0-9]+)*$/),
  endpoint: z.string().min(1).max(2048),
  key: KeyMaterial,
  profiles: z.array(DatacenterProfile).min(1).max(100),
});
export type CreateDatacenterRequest = z.infer<typeof CreateDatacenterRequest>;

/** `conflict` when the tenant already has a datacenter of that name. */
export const createDatacenterRpc = defineRpc({
  type: 'datacenter.create',
  service: REGISTRY_SERVICE,
  request: CreateDatacenterRequest,
  response: IssuedCertificate.extend({ datacenter: Datacenter }),
});

export const listDatacentersRpc = defineRpc({
  type: 'datacenter.list',
  service: REGISTRY_SERVICE,
  request: TenantScope,
  response: z.object({ datacenters: z.array(Datacenter) }),
});

export const getDatacenterRpc = defineRpc({
  type: 'datacenter.get',
  service: REGISTRY_SERVICE,
  request: TenantScope.extend({ id: Id }),
  response: Datacenter,
});

export const updateDatacenterRpc = defineRpc({
  type: 'datacenter.update',
  service: REGISTRY_SERVICE,
  request: TenantScope.extend({
    id: Id,
    endpoint: z.string().min(1).max(2048).optional(),
    profiles: z.array(DatacenterProfile).min(1).max(100).optional(),
  }),
  response: Datacenter,
});

export const deleteDatacenterRpc = defineRpc({
  type: 'datacenter.delete',
  service: REGISTRY_SERVICE,
  request: TenantScope.extend({ id: Id }),
  response: z.object({}),
});

export const DatacenterMatch = z.object({
  entry: z.string(),
  region: z.string(),
  /** Cheapest first: the price of the entry's nodes on each datacenter. */
  datacenters: z.array(z.object({ id: z.uuid(), name: z.string(), region: z.string(), price: z.number() })),
});

/** Every datacenter (of any operator: the marketplace) that satisfies each datacenter entry. */
export const matchDatacentersRpc = defineRpc({
  type: 'datacenter.match',
  service: REGISTRY_SERVICE,
  request: TenantScope.extend({ source: ConfigSource }),
  response: z.object({ valid: z.boolean(), errors: z.array(ConfigProblem), matches: z.array(DatacenterMatch) }),
});

/**
 * A datacenter agent's heartbeat (a test double until the mTLS agent exists): its nodes that run, with their
 * endpoints. The answer is every node the registry wants running there.
 */
export const datacenterHeartbeatRpc = defineRpc({
  type: 'datacenter.heartbeat',
  service: REGISTRY_SERVICE,
  request: z.object({
    datacenterId: z.uuid(),
    running: z.array(z.object({ id: z.uuid(), endpoint: z.string().max(2048).optional() })).max(100_000),
  }),
  response: z.object({
    nodes: z.array(z.object({ id: z.uuid(), deploymentId: z.uuid(), service: z.string(), image: z.string() })),
  }),
});

export const validateDeploymentRpc = defineRpc({
  type: 'deployment.validate',
  service: REGISTRY_SERVICE,
  request: TenantScope.extend({ source: ConfigSource }),
  response: z.object({ valid: z.boolean(), errors: z.array(ConfigProblem) }),
});

/** bad_request listing every problem of the file (path `deployment.services.web.westcoast.profile`…). */
export const createDeploymentRpc = defineRpc({
  type: 'deployment.create',
  service: REGISTRY_SERVICE,
  request: TenantScope.extend({ source: ConfigSource }),
  response: Deployment,
});

export const listDeploymentsRpc = defineRpc({
  type: 'deployment.list',
  service: REGISTRY_SERVICE,
  request: TenantScope,
  response: z.object({ deployments: z.array(DeploymentSummary) }),
});

export const getDeploymentRpc = defineRpc({
  type: 'deployment.get',
  service: REGISTRY_SERVICE,
  request: TenantScope.extend({ id: Id }),
  response: Deployment,
});

/** With dryRun, only the plan; else the plan applied and the deployment after it. */
export const updateDeploymentRpc = defineRpc({
  type: 'deployment.update',
  service: REGISTRY_SERVICE,
  request: TenantScope.extend({ id: Id, source: ConfigSource, dryRun: z.boolean().default(false) }),
  response: z.object({ plan: z.array(PlanStep), deployment: Deployment.optional() }),
});

export const deleteDeploymentRpc = defineRpc({
  type: 'deployment.delete',
  service: REGISTRY_SERVICE,
  request: TenantScope.extend({ id: Id }),
  response: z.object({}),
});

export const listDeploymentEventsRpc = defineRpc({
  type: 'deployment.events',
  service: REGISTRY_SERVICE,
  request: TenantScope.extend({
    id: Id,
    /** Only events after this seq (the SSE Last-Event-ID). */
    after: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(200),
  }),
  response: z.object({ events: z.array(DeploymentEvent) }),
});

/** Photon's `notify`: records the event for the named notification (or all of them) of the deployment. */
export const notifyDeploymentRpc = defineRpc({
  type: 'deployment.notify',
  service: REGISTRY_SERVICE,
  request: TenantScope.extend({
    id: Id,
    notification: z.string().min(1).max(200).optional(),
    event: z.string().min(1).max(100).optional(),
  }),
  response: z.object({ notified: z.array(z.string()), event: z.string() }),
});
