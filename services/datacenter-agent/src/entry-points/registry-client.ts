import {
  agentChannelCredentials,
  DatacenterAgentClient,
  type AgentCredentialFiles,
  type HeartbeatRequest,
  type HeartbeatResponse,
} from '@overcast/agent-protocol';
import type { ServiceError } from '@grpc/grpc-js';

type UnaryCall = (
  request: HeartbeatRequest,
  options: { deadline: number },
  callback: (error: ServiceError | null, response: HeartbeatResponse) => void,
) => void;

export interface RegistryClient {
  heartbeat(request: HeartbeatRequest): Promise<HeartbeatResponse>;
  close(): void;
}

/** The registry's agent endpoint over mutual TLS, with this datacenter's certificate; nothing else is spoken. */
export function connectRegistry(address: string, files: AgentCredentialFiles, timeoutMs: number): RegistryClient {
  // The registry is identified by its certificate (OU=registry), not by the address dialled: the TLS server name
  // is that identity, and no IP address goes into SNI.
  const client = new DatacenterAgentClient(address, agentChannelCredentials(files), {
    'grpc.ssl_target_name_override': 'registry',
    'grpc.default_authority': 'registry',
  }) as InstanceType<typeof DatacenterAgentClient> & { Heartbeat: UnaryCall };
  return {
    heartbeat: (request) =>
      new Promise((resolve, reject) => {
        client.Heartbeat(
          request,
          { deadline: Date.now() + timeoutMs },
          (error: ServiceError | null, response: HeartbeatResponse) => (error ? reject(error) : resolve(response)),
        );
      }),
    close: () => client.close(),
  };
}
