import { FirewallsClient, ImagesClient, InstancesClient, ZoneOperationsClient } from '@google-cloud/compute';
import type { GceClientOptions, GceComputeConfig } from './config';

export interface GceClients {
  instances: InstancesClient;
  images: ImagesClient;
  firewalls: FirewallsClient;
  zoneOperations: ZoneOperationsClient;
}

/**
 * One set of clients on the HTTP/1.1 JSON transport (`fallback`): Compute is a REST API, and this transport
 * is what tests can point at a loopback endpoint through the same request path production uses.
 */
export function createGceClients(config: GceComputeConfig): GceClients {
  const options: GceClientOptions = {
    fallback: true,
    projectId: config.projectId,
    ...(config.credentials ? { credentials: config.credentials } : {}),
    ...config.clientOptions,
  };
  return {
    instances: new InstancesClient(options),
    images: new ImagesClient(options),
    firewalls: new FirewallsClient(options),
    zoneOperations: new ZoneOperationsClient(options),
  };
}

export async function closeGceClients(clients: GceClients): Promise<void> {
  await Promise.all([
    clients.instances.close(),
    clients.images.close(),
    clients.firewalls.close(),
    clients.zoneOperations.close(),
  ]);
}
