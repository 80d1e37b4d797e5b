import {
  datacenterAgentService,
  identityOf,
  registryServerCredentials,
  type HeartbeatRequest,
  type HeartbeatResponse,
} from '@overcast/agent-protocol';
import { isAppError } from '@overcast/contracts';
import { Server, status, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import type { AgentHeartbeatUseCase } from '../domain/agent-heartbeat';

export interface AgentServerOptions {
  host: string;
  port: number;
  caBundle: string;
  certificate: string;
  privateKey: string;
  heartbeat: AgentHeartbeatUseCase;
  logger: { warn(object: object, message?: string): void };
}

const grpcStatusOf: Record<string, status> = {
  forbidden: status.PERMISSION_DENIED,
  unauthenticated: status.UNAUTHENTICATED,
  bad_request: status.INVALID_ARGUMENT,
  not_found: status.NOT_FOUND,
};

/** The agent endpoint: gRPC over mutual TLS only, one use case per call (thin, as every entry point). */
export async function startAgentServer(options: AgentServerOptions): Promise<{ port: number; stop(): Promise<void> }> {
  const server = new Server();
  server.addService(datacenterAgentService, {
    Heartbeat(call: ServerUnaryCall<HeartbeatRequest, HeartbeatResponse>, callback: sendUnaryData<HeartbeatResponse>) {
      const certificate = call.getAuthContext()?.sslPeerCertificate?.raw;
      const identity = certificate ? identityOf(certificate) : null;
      if (!certificate || !identity) {
        callback({ code: status.UNAUTHENTICATED, details: 'a client certificate of the registry CA is required' });
        return;
      }
      const request = call.request;
      options
        .heartbeat(
          { certificate, ...identity },
          {
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
          },
        )
        .then(
          ({ nodes }) =>
            callback(null, {
              nodes: nodes.map((node) => ({
                id: node.id,
                deployment_id: node.deploymentId,
                service: node.service,
                image: node.image,
              })),
            }),
          (error: unknown) => {
            if (isAppError(error)) {
              options.logger.warn(
                { datacenterId: request.datacenter_id, reason: error.message },
                'agent heartbeat refused',
              );
              callback({ code: grpcStatusOf[error.code] ?? status.INTERNAL, details: error.message });
              return;
            }
            options.logger.warn({ err: error }, 'agent heartbeat failed');
            callback({ code: status.INTERNAL, details: 'internal error' });
          },
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
        // Heartbeats are short: let those in flight finish, then cut whatever is left.
        const deadline = setTimeout(() => server.forceShutdown(), 2_000);
        server.tryShutdown(() => {
          clearTimeout(deadline);
          resolve();
        });
      }),
  };
}
