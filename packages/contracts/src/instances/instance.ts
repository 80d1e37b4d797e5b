import { z } from 'zod';

/** The service that owns instances, instance builds, init scripts and the image catalog. */
export const INSTANCE_BROKER_SERVICE = 'instance-broker';

/**
 * Life cycle as clients see it. cloud-brain's README listed only the first four; `errored` (the create
 * failed for good, see `errorReason`) and `terminated` (kept, never deleted) exist too.
 */
export const InstanceState = z.enum(['creating', 'starting', 'running', 'terminating', 'terminated', 'errored']);
export type InstanceState = z.infer<typeof InstanceState>;

/** The provider-neutral size classes; each provider maps them to its own machine type. */
export const SizeClass = z.enum(['standard', 'premium']);
export type SizeClass = z.infer<typeof SizeClass>;

/**
 * A size class (`standard`, `premium`; cloud-brain's worker sends `default` for standard) or a provider's native
 * machine type (EC2 `c3.2xlarge`, GCE `n1-standard-4`), which the broker resolves against the instance's provider:
 * only a type that provider lacks is refused. Persisted as resolved (cloud-brain silently lost it).
 */
export const InstanceType = z.string().min(1).max(64);
export type InstanceType = z.infer<typeof InstanceType>;

/**
 * Pudding's callers name instances by EC2 id (`i-…`), and hubot-pudding puts `i-` before whatever id it is given:
 * such an id is looked up as a reference (instance-rpcs.ts) and answered in pudding's shapes. Overcast's own ids
 * are uuids, which never start with `i-`.
 */
export function isPuddingInstanceReference(id: string): boolean {
  return id.startsWith('i-');
}

/** A provider registry key as the operator configured it (`aws`, `gce`, `local`, `fake`, `gce-staging`…). */
export const ProviderName = z.string().min(1).max(100);
export type ProviderName = z.infer<typeof ProviderName>;

/**
 * Free-form placement labels from pudding (env, site, role, queue); also tags on the provider resource
 * (each provider sanitizes tag values its own way). An empty string means "not set".
 */
export const PlacementLabel = z.string().max(100);

/** ISO-8601 timestamps on the wire (JSON has no dates). */
export const Timestamp = z.iso.datetime({ offset: true });

export const Instance = z.object({
  id: z.uuid(),
  provider: z.string(),
  image: z.string(),
  instanceType: InstanceType,
  publicSshKey: z.string().nullable(),
  state: InstanceState,
  ipAddress: z.string().nullable(),
  /** The provider's own id (EC2 `i-…`, GCE numeric id, local pid); null until the provider answered. */
  upstreamId: z.string().nullable(),
  /** Why the instance is `errored`; null otherwise. */
  errorReason: z.string().nullable(),
  env: z.string().nullable(),
  site: z.string().nullable(),
  role: z.string().nullable(),
  queue: z.string().nullable(),
  /** The instance build that created it, if any. */
  instanceBuildId: z.uuid().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Instance = z.infer<typeof Instance>;
