import { z } from 'zod';
import { Timestamp } from '../instances/instance';

/** The service that owns registry accounts, datacenters, deployments, placements, nodes and the CA. */
export const REGISTRY_SERVICE = 'registry';

/** Names as overcast.yml writes them (DNS labels): datacenters and their profiles too. */
export const RegistryName = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be 1–63 lowercase letters, digits and dashes');

export const Lifetime = z.enum(['short', 'medium', 'long']);
export type Lifetime = z.infer<typeof Lifetime>;

/** What a datacenter offers: qos (cpu, memory, lifetime), a price per node-hour and how many nodes it runs. */
export const DatacenterProfile = z.object({
  name: RegistryName,
  cpu: z.number().positive().max(4096),
  memoryBytes: z
    .number()
    .int()
    .positive()
    .max(2 ** 50),
  lifetime: Lifetime,
  price: z.number().nonnegative().max(1e9),
  capacity: z.number().int().min(0).max(1_000_000),
});
export type DatacenterProfile = z.infer<typeof DatacenterProfile>;

export const DatacenterState = z.enum(['up', 'down']);

export const Datacenter = z.object({
  id: z.uuid(),
  name: RegistryName,
  region: z.string(),
  endpoint: z.string(),
  state: DatacenterState,
  profiles: z.array(DatacenterProfile),
  lastHeartbeatAt: Timestamp,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Datacenter = z.infer<typeof Datacenter>;

/** A public key or a CSR, PEM (Photon's AccountCreate/DatacenterCreate take a public key). */
export const KeyMaterial = z
  .object({ publicKey: z.string().min(1).max(16_384).optional(), csr: z.string().min(1).max(16_384).optional() })
  .refine((key) => key.publicKey !== undefined || key.csr !== undefined, { message: 'give publicKey or csr' });

/** What the CA hands out: the certificate and the bundle to verify the registry's chain with (PEM). */
export const IssuedCertificate = z.object({ certificate: z.string(), caBundle: z.string() });

/** One problem of an overcast.yml, as @overcast/deployment-config reports it. */
export const ConfigProblem = z.object({
  source: z.string(),
  path: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  message: z.string(),
});
export type ConfigProblem = z.infer<typeof ConfigProblem>;

export const NodeState = z.enum(['starting', 'running', 'stopping', 'down']);

/** One service on one datacenter entry of a deployment: desired against running, and where it answers. */
export const ServicePlacement = z.object({
  service: z.string(),
  entry: z.string(),
  profile: z.string(),
  datacenterId: z.uuid().nullable(),
  desired: z.number().int(),
  running: z.number().int(),
  endpoints: z.array(z.string()),
});
export type ServicePlacement = z.infer<typeof ServicePlacement>;

export const DeploymentState = z.enum(['deploying', 'active', 'degraded']);

export const Deployment = z.object({
  id: z.uuid(),
  state: DeploymentState,
  version: z.number().int(),
  services: z.array(ServicePlacement),
  certificate: z.string(),
  caBundle: z.string(),
  /** The Standard Webhooks secret (`whsec_…`) its webhook notifications are signed with. */
  webhookSecret: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Deployment = z.infer<typeof Deployment>;

export const DeploymentSummary = Deployment.omit({
  services: true,
  certificate: true,
  caBundle: true,
  webhookSecret: true,
}).extend({
  services: z.array(z.string()),
});
export type DeploymentSummary = z.infer<typeof DeploymentSummary>;

/** What an update would do (or did): per service and entry, nodes to add, move and remove. */
export const PlanStep = z.object({
  service: z.string(),
  entry: z.string(),
  add: z.number().int(),
  remove: z.number().int(),
  /** Nodes that change datacenter (the entry is placed elsewhere). */
  move: z.number().int(),
  fromDatacenterId: z.uuid().nullable(),
  toDatacenterId: z.uuid().nullable(),
});
export type PlanStep = z.infer<typeof PlanStep>;

export const DeploymentEvent = z.object({
  /** Increasing per registry; the SSE id (Last-Event-ID resumes after it). */
  seq: z.number().int().positive(),
  type: z.string(),
  data: z.record(z.string(), z.unknown()),
  createdAt: Timestamp,
});
export type DeploymentEvent = z.infer<typeof DeploymentEvent>;
