import type { DatacenterOffer, OfferedProfile, Usage } from './offers';
import type { Changes, DeploymentRecord, DeploymentState, NodeRecord, RegistryEvent } from './records';
import type { DeploymentConfig } from '@overcast/deployment-config';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export interface DatacenterRecord extends DatacenterOffer {
  tenantId: string;
  endpoint: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface StoredDeployment extends DeploymentRecord {
  source: string;
  certificatePem: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface StoredEvent extends RegistryEvent {
  seq: number;
  createdAt: Date;
}

/** Everything placement reads at once: every datacenter's offer and the capacity its nodes take. */
export interface World {
  offers: DatacenterRecord[];
  usage: Usage;
}

/** The registry's writes that placement depends on run one at a time (a transaction-scoped advisory lock). */
export interface PlacementTransaction {
  world(): Promise<World>;
  /** Every deployment the reconcile keeps (with placements and nodes). */
  deployments(): Promise<DeploymentRecord[]>;
  findDeployment(tenantId: string, id: string): Promise<StoredDeployment | null>;
  insertDeployment(deployment: {
    id: string;
    tenantId: string;
    config: DeploymentConfig;
    source: string;
    certificatePem: string;
    sealedPrivateKey: string;
  }): Promise<void>;
  replaceConfig(id: string, config: DeploymentConfig, source: string, state: DeploymentState): Promise<void>;
  deleteDeployment(tenantId: string, id: string): Promise<boolean>;
  markHeartbeat(datacenterId: string, at: Date): Promise<{ wasDown: boolean; tenantId: string } | null>;
  nodesOn(datacenterId: string): Promise<(NodeRecord & { image: string; tenantId: string })[]>;
  apply(changes: Changes): Promise<void>;
}

export interface RegistryStore {
  inPlacement<T>(work: (tx: PlacementTransaction) => Promise<T>): Promise<T>;
  rootAuthority(create: () => Promise<{ certificatePem: string; sealedPrivateKey: string }>): Promise<{
    certificatePem: string;
    sealedPrivateKey: string;
  }>;
  insertAccount(account: { id: string; tenantId: string; email: string; certificatePem: string }): Promise<boolean>;
  insertDatacenter(datacenter: {
    id: string;
    tenantId: string;
    name: string;
    region: string;
    endpoint: string;
    certificatePem: string;
    profiles: OfferedProfile[];
    now: Date;
  }): Promise<DatacenterRecord | null>;
  listDatacenters(tenantId: string): Promise<DatacenterRecord[]>;
  findDatacenter(tenantId: string, id: string): Promise<DatacenterRecord | null>;
  /** What an agent's certificate is checked against: the datacenter's current certificate (any tenant's). */
  findDatacenterCredentials(
    id: string,
  ): Promise<{ tenantId: string; certificatePem: string; profiles: OfferedProfile[] } | null>;
  updateDatacenter(
    tenantId: string,
    id: string,
    update: { endpoint?: string; profiles?: OfferedProfile[] },
  ): Promise<DatacenterRecord | null>;
  deleteDatacenter(tenantId: string, id: string): Promise<boolean>;
  listDeployments(tenantId: string): Promise<StoredDeployment[]>;
  findDeployment(tenantId: string, id: string): Promise<StoredDeployment | null>;
  listEvents(deploymentId: string, after: number, limit: number): Promise<StoredEvent[]>;
  addEvents(events: RegistryEvent[]): Promise<void>;
  /** Calls `changed` with each datacenter whose placed nodes changed (committed, by any replica); resolves to unwatch. */
  watchPlacementChanges(changed: (datacenterId: string) => void): Promise<() => Promise<void>>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
