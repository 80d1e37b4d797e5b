import type { DeploymentConfig } from '@overcast/deployment-config';
import type { DatacenterRecord, StoredDeployment } from '../domain/ports';
import type { Lifetime, OfferedProfile } from '../domain/offers';
import type { DeploymentState, NodeRecord, NodeState } from '../domain/records';
import type {
  Datacenter as DatacenterRow,
  DatacenterProfile as ProfileRow,
  Deployment as DeploymentRow,
  Node as NodeRow,
  Placement as PlacementRow,
} from '../generated/prisma/client';

export function toProfile(row: ProfileRow): OfferedProfile {
  return {
    name: row.name,
    cpu: row.cpu,
    memoryBytes: Number(row.memoryBytes),
    lifetime: row.lifetime as Lifetime,
    price: row.price,
    capacity: row.capacity,
  };
}

export function profileRows(datacenterId: string, profiles: readonly OfferedProfile[]) {
  return profiles.map((profile) => ({ ...profile, datacenterId, memoryBytes: BigInt(profile.memoryBytes) }));
}

export function toDatacenter(row: DatacenterRow & { profiles: ProfileRow[] }): DatacenterRecord {
  return {
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    region: row.region,
    endpoint: row.endpoint,
    state: row.state === 'down' ? 'down' : 'up',
    upSince: row.upSince,
    lastHeartbeatAt: row.lastHeartbeatAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    profiles: row.profiles.map(toProfile).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

export function toNode(row: NodeRow): NodeRecord {
  return { ...row, state: row.state as NodeState };
}

export function toDeployment(row: DeploymentRow & { placements: PlacementRow[]; nodes: NodeRow[] }): StoredDeployment {
  return {
    id: row.id,
    tenantId: row.tenantId,
    // Written by this service from a parsed DeploymentConfig only.
    config: row.config as unknown as DeploymentConfig,
    source: row.source,
    state: row.state as DeploymentState,
    version: row.version,
    certificatePem: row.certificatePem,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    placements: row.placements.map(({ entry, datacenterId, preferredId }) => ({ entry, datacenterId, preferredId })),
    nodes: row.nodes.map(toNode),
  };
}
