import type { Datacenter, Deployment, DeploymentSummary } from '@overcast/contracts';
import { desiredNodes } from './offers';
import type { DatacenterRecord, StoredDeployment } from './ports';

export function presentDatacenter(datacenter: DatacenterRecord): Datacenter {
  return {
    id: datacenter.id,
    name: datacenter.name,
    region: datacenter.region,
    endpoint: datacenter.endpoint,
    state: datacenter.state,
    profiles: datacenter.profiles,
    lastHeartbeatAt: datacenter.lastHeartbeatAt.toISOString(),
    createdAt: datacenter.createdAt.toISOString(),
    updatedAt: datacenter.updatedAt.toISOString(),
  };
}

/** Per service and datacenter entry: desired and running nodes (stopping ones are leaving) and their endpoints. */
export function presentDeployment(deployment: StoredDeployment, caBundle: string, webhookSecret: string): Deployment {
  return {
    id: deployment.id,
    state: deployment.state,
    version: deployment.version,
    services: desiredNodes(deployment.config).map(({ service, entry, profile, nodes }) => {
      const running = deployment.nodes.filter(
        (node) => node.service === service && node.entry === entry && node.state === 'running',
      );
      return {
        service,
        entry,
        profile,
        datacenterId: deployment.placements.find((p) => p.entry === entry)?.datacenterId ?? null,
        desired: nodes,
        running: running.length,
        endpoints: running.flatMap((node) => (node.endpoint ? [node.endpoint] : [])),
      };
    }),
    certificate: deployment.certificatePem,
    caBundle,
    webhookSecret,
    createdAt: deployment.createdAt.toISOString(),
    updatedAt: deployment.updatedAt.toISOString(),
  };
}

export function presentDeploymentSummary(deployment: StoredDeployment): DeploymentSummary {
  return {
    id: deployment.id,
    state: deployment.state,
    version: deployment.version,
    services: Object.keys(deployment.config.services),
    createdAt: deployment.createdAt.toISOString(),
    updatedAt: deployment.updatedAt.toISOString(),
  };
}
