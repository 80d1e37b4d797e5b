import {
  agentChannelCredentials,
  DatacenterAgentClient,
  type AgentCredentialFiles,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type PlacementChanged,
  type WatchPlacementsRequest,
} from '@overcast/agent-protocol';
import type { ClientReadableStream, ServiceError } from '@grpc/grpc-js';

type UnaryCall = (
  request: HeartbeatRequest,
  options: { deadline: number },
  callback: (error: ServiceError | null, response: HeartbeatResponse) => void,
) => void;
type WatchCall = (request: WatchPlacementsRequest) => ClientReadableStream<PlacementChanged>;

/** An open WatchPlacements stream: `ended` settles when it ends or fails (its error, or null), `cancel` ends it. */
export interface PlacementWatch {
  ended: Promise<Error | null>;
  cancel(): void;
}

export interface RegistryClient {
  heartbeat(request: HeartbeatRequest): Promise<HeartbeatResponse>;
  /** Calls `changed` on each of the registry's "heartbeat now" signals for this datacenter. */
  watchPlacements(datacenterId: string, changed: () => void): PlacementWatch;
  close(): void;
}

/** The registry's agent endpoint over mutual TLS, with this datacenter's certificate; nothing else is spoken. */
export function connectRegistry(address: string, files: AgentCredentialFiles, timeoutMs: number): RegistryClient {
  // The registry is identified by its certificate (OU=registry), not by the address dialled: the TLS server name
  // is that identity, and no IP address goes into SNI. Pings find a dead connection under a held-open watch.
  const client = new DatacenterAgentClient(address, agentChannelCredentials(files), {
    'grpc.ssl_target_name_override': 'registry',
    'grpc.default_authority': 'registry',
    'grpc.keepalive_time_ms': 20_000,
    'grpc.keepalive_timeout_ms': 10_000,
  }) as InstanceType<typeof DatacenterAgentClient> & { Heartbeat: UnaryCall; WatchPlacements: WatchCall };
  return {
    heartbeat: (request) =>
      new Promise((resolve, reject) => {
        client.Heartbeat(
          request,
          { deadline: Date.now() + timeoutMs },
          (error: ServiceError | null, response: HeartbeatResponse) => (error ? reject(error) : resolve(response)),
        );
      }),
    watchPlacements(datacenterId, changed) {
      const stream = client.WatchPlacements({ datacenter_id: datacenterId });
      stream.on('data', () => changed());
      const ended = new Promise<Error | null>((resolve) => {
        stream.on('error', resolve);
        stream.on('end', () => resolve(null));
      });
      return { ended, cancel: () => stream.cancel() };
    },
    close: () => client.close(),
  };
}
