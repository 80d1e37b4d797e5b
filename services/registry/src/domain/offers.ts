import type { DeploymentConfig } from '@overcast/deployment-config';

export type Lifetime = 'short' | 'medium' | 'long';

/** What one datacenter profile offers. */
export interface OfferedProfile {
  name: string;
  cpu: number;
  memoryBytes: number;
  lifetime: Lifetime;
  price: number;
  capacity: number;
}

export interface DatacenterOffer {
  id: string;
  name: string;
  region: string;
  state: 'up' | 'down';
  upSince: Date;
  lastHeartbeatAt: Date;
  profiles: OfferedProfile[];
}

/** What one profile of a deployment's datacenter entry asks for, and how many nodes of it. */
export interface ProfileNeed {
  profile: string;
  cpu?: number;
  memoryBytes?: number;
  lifetime?: Lifetime;
  maxPrice?: number;
  nodes: number;
}

export interface EntryRequirement {
  entry: string;
  region: string;
  needs: ProfileNeed[];
}

/** Nodes in use per datacenter and profile: what capacity is already taken. */
export type Usage = Map<string, Map<string, number>>;

const lifetimeRank: Record<Lifetime, number> = { short: 0, medium: 1, long: 2 };

/** A `long` offer serves a `medium` request: lifetimes are minimums, as cpu and memory are. */
export function offerSatisfies(offer: OfferedProfile, need: ProfileNeed): boolean {
  if (need.cpu !== undefined && offer.cpu < need.cpu) return false;
  if (need.memoryBytes !== undefined && offer.memoryBytes < need.memoryBytes) return false;
  if (need.lifetime !== undefined && lifetimeRank[offer.lifetime] < lifetimeRank[need.lifetime]) return false;
  if (need.maxPrice !== undefined && offer.price > need.maxPrice) return false;
  return true;
}

/** Nodes per (service, entry) and the deployment profile they run on, from `deployment.services`. */
export function desiredNodes(
  config: DeploymentConfig,
): { service: string; entry: string; profile: string; nodes: number }[] {
  const desired: { service: string; entry: string; profile: string; nodes: number }[] = [];
  for (const [service, entries] of Object.entries(config.deployment.services)) {
    for (const [entry, placement] of Object.entries(entries)) {
      desired.push({ service, entry, profile: placement.profile, nodes: placement.nodes });
    }
  }
  return desired;
}

/**
 * Each datacenter entry: its region, and per profile its qos, price cap and the nodes the services put on it,
 * the largest need first (the order fitting takes them in).
 */
export function requirementsOf(config: DeploymentConfig): EntryRequirement[] {
  const nodesByEntryProfile = new Map<string, number>();
  for (const { entry, profile, nodes } of desiredNodes(config)) {
    const key = `${entry}\u0000${profile}`;
    nodesByEntryProfile.set(key, (nodesByEntryProfile.get(key) ?? 0) + nodes);
  }
  return Object.entries(config.deployment.datacenters).map(([entry, datacenter]) => ({
    entry,
    region: datacenter.region,
    needs: Object.entries(datacenter.profiles)
      .map(([profile, { qos, pricing }]) => ({
        profile,
        cpu: qos.cpu,
        memoryBytes: qos.memoryBytes,
        lifetime: qos.lifetime,
        maxPrice: pricing.maxPrice,
        nodes: nodesByEntryProfile.get(`${entry}\u0000${profile}`) ?? 0,
      }))
      .sort((a, b) => b.nodes - a.nodes),
  }));
}
