export type {
  AgentProfile,
  HeartbeatRequest,
  HeartbeatResponse,
  PlacedNode,
  PlacementChanged,
  WatchPlacementsRequest,
} from './messages';
export { DatacenterAgentClient, datacenterAgentService } from './service-definition';
export { identityOf, type CertifiedIdentity } from './identity';
export { agentChannelCredentials, registryServerCredentials, type AgentCredentialFiles } from './credentials';
