/** The proto's messages as @grpc/proto-loader hands them over (keepCase, longs and enums as JS values). */
export interface AgentProfile {
  name: string;
  cpu: number;
  memory_bytes: number;
  lifetime: string;
  price: number;
  capacity: number;
}

export interface HeartbeatRequest {
  datacenter_id: string;
  profiles: AgentProfile[];
  running: { id: string; endpoint: string }[];
}

export interface PlacedNode {
  id: string;
  deployment_id: string;
  service: string;
  image: string;
}

export interface HeartbeatResponse {
  nodes: PlacedNode[];
}

export interface WatchPlacementsRequest {
  datacenter_id: string;
}

export type PlacementChanged = Record<string, never>;
