import {
  datacenterAgentService,
  identityOf,
  registryServerCredentials,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type PlacementChanged,
  type WatchPlacementsRequest,
} from '@overcast/agent-protocol';
import { isAppError } from '@overcast/contracts';
import {
  Server,
  status,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServerWritableStream,
  type StatusObject,
} from '@grpc/grpc-js';
import type { AgentHeartbeatUseCase } from '../domain/agent-heartbeat';
import type { AgentPeer, AuthenticateAgent } from '../domain/authenticate-agent';
import type { PlacementWatchers } from './placement-watchers';

export interface AgentServerOptions {
  host: string;
  port: number;
  caBundle: string;
  certificate: string;
  privateKey: string;
  heartbeat: AgentHeartbeatUseCase;
  authenticateAgent: AuthenticateAgent;
  watchers: PlacementWatchers;
  /** Called with each datacenter whose heartbeat was answered. */
  answered(datacenterId: string): void;
  logger: { warn(object: object, message?: string): void };
}

const grpcStatusOf: Record<string, status> = {
  forbidden: status.PERMISSION_DENIED,
  unauthenticated: status.UNAUTHENTICATED,
  bad_request: status.INVALID_ARGUMENT,
  not_found: status.NOT_FOUND,
};

const unauthenticated = {
  code: status.UNAUTHENTICATED,
  details: 'a client certificate of the registry CA is required',
};

/** The client certificate TLS verified, and whom it names; null without one (refused before any use case). */
function peerOf(call: { getAuthContext(): { sslPeerCertificate?: { raw: Buffer } } | undefined }): AgentPeer | null {
  const certificate = call.getAuthContext()?.sslPeerCertificate?.raw;
  const identity = certificate ? identityOf(certificate) : null;
  return certificate && identity ? { certificate, ...identity } : null;
}

// Dead agents' streams are found by pings rather than held forever (and NATs see traffic on idle connections).
const keepalive = { 'grpc.keepalive_time_ms': 20_000, 'grpc.keepalive_timeout_ms': 10_000 };

/** The agent endpoint: gRPC over mutual TLS only, one use case per call (thin, as every entry point). */
export async function startAgentServer(options: AgentServerOptions): Promise<{ port: number; stop(): Promise<void> }> {
  const server = new Server(keepalive);
  const refusal = (datacenterId: string, error: unknown): Partial<StatusObject> => {
    if (isAppError(error)) {
      options.logger.warn({ datacenterId, reason: error.message }, 'agent call refused');
      return { code: grpcStatusOf[error.code] ?? status.INTERNAL, details: error.message };
    }
    options.logger.warn({ err: error }, 'agent call failed');
    return { code: status.INTERNAL, details: 'internal error' };
  };
  server.addService(datacenterAgentService, {
    Heartbeat(call: ServerUnaryCall<HeartbeatRequest, HeartbeatResponse>, callback: sendUnaryData<HeartbeatResponse>) {
      const peer = peerOf(call);
      if (!peer) {
        callback(unauthenticated);
        return;
      }
      const request = call.request;
      options
        .heartbeat(peer, {
          datacenterId: request.datacenter_id,
          profiles: request.profiles.map((profile) => ({
            name: profile.name,
            cpu: profile.cpu,
            memoryBytes: profile.memory_bytes,
            lifetime: profile.lifetime as 'medium',
            price: profile.price,
            capacity: profile.capacity,
          })),
          running: request.running.map((node) => ({
            id: node.id,
            ...(node.endpoint ? { endpoint: node.endpoint } : {}),
          })),
        })
        .then(
          ({ nodes }) => {
            options.answered(request.datacenter_id);
            callback(null, {
              nodes: nodes.map((node) => ({
                id: node.id,
                deployment_id: node.deploymentId,
                service: node.service,
                image: node.image,
              })),
            });
          },
          (error: unknown) => callback(refusal(request.datacenter_id, error)),
        );
    },
    WatchPlacements(call: ServerWritableStream<WatchPlacementsRequest, PlacementChanged>) {
      const peer = peerOf(call);
      if (!peer) {
        call.emit('error', unauthenticated);
        return;
      }
      const datacenterId = call.request.datacenter_id;
      options.authenticateAgent(peer, datacenterId).then(
        () => {
          if (!call.cancelled) options.watchers.add(datacenterId, call);
        },
        (error: unknown) => call.emit('error', refusal(datacenterId, error)),
      );
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${options.host}:${options.port}`, registryServerCredentials(options), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        // Watch streams never end by themselves; heartbeats are short: let those finish, then cut what is left.
        options.watchers.endAll();
        const deadline = setTimeout(() => server.forceShutdown(), 2_000);
        server.tryShutdown(() => {
          clearTimeout(deadline);
          resolve();
        });
      }),
  };
}
