import type { EventDefinition } from '@overcast/contracts';
import type { DeploymentConfig } from '@overcast/deployment-config';

export type NodeState = 'starting' | 'running' | 'stopping';
export type DeploymentState = 'deploying' | 'active' | 'degraded';

export interface NodeRecord {
  id: string;
  deploymentId: string;
  service: string;
  entry: string;
  datacenterId: string;
  /** The datacenter's profile whose capacity the node takes. */
  profile: string;
  state: NodeState;
  endpoint: string | null;
}

export interface PlacementRecord {
  entry: string;
  datacenterId: string | null;
  /** The datacenter chosen first; nodes move back to it once it has stayed up (failback). */
  preferredId: string | null;
}

export interface DeploymentRecord {
  id: string;
  tenantId: string;
  config: DeploymentConfig;
  state: DeploymentState;
  version: number;
  placements: PlacementRecord[];
  nodes: NodeRecord[];
}

/** One line of a deployment's event stream: Photon's seven events and `placement.changed`. */
export interface RegistryEvent {
  deploymentId: string;
  tenantId: string;
  type: string;
  data: Record<string, unknown>;
}

/** What a reconcile pass (or a create, an update) decided, written in one transaction. */
export interface Changes {
  placements: (PlacementRecord & { deploymentId: string })[];
  removedPlacements: { deploymentId: string; entry: string }[];
  createdNodes: NodeRecord[];
  stoppedNodes: string[];
  /** Nodes an agent reports running, with where they answer. */
  startedNodes: { id: string; endpoint: string | null }[];
  deletedNodes: string[];
  deploymentStates: { id: string; state: DeploymentState }[];
  datacentersDown: string[];
  events: RegistryEvent[];
  /** Facts for the bus, written to the outbox in the same transaction. */
  messages: { definition: EventDefinition; payload: unknown }[];
}

export function noChanges(): Changes {
  return {
    placements: [],
    removedPlacements: [],
    createdNodes: [],
    stoppedNodes: [],
    startedNodes: [],
    deletedNodes: [],
    deploymentStates: [],
    datacentersDown: [],
    events: [],
    messages: [],
  };
}

export function hasChanges(changes: Changes): boolean {
  return Object.values(changes).some((list: unknown[]) => list.length > 0);
}
