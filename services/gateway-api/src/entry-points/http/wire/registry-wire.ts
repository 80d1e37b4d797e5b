import type {
  ConfigProblem,
  Datacenter,
  DatacenterProfile,
  Deployment,
  DeploymentEvent,
  DeploymentSummary,
  PlanStep,
} from '@overcast/contracts';
import type { components } from '../generated/openapi';

type Schemas = components['schemas'];

/** The contracts speak camelCase; the public API speaks snake_case, as every other Overcast route. */
export function profileToWire(profile: DatacenterProfile): Schemas['DatacenterProfile'] {
  return {
    name: profile.name,
    cpu: profile.cpu,
    memory_bytes: profile.memoryBytes,
    lifetime: profile.lifetime,
    price: profile.price,
    capacity: profile.capacity,
  };
}

export function profileFromWire(profile: Schemas['DatacenterProfile']): DatacenterProfile {
  return {
    name: profile.name,
    cpu: profile.cpu,
    memoryBytes: profile.memory_bytes,
    lifetime: profile.lifetime,
    price: profile.price,
    capacity: profile.capacity,
  };
}

export function datacenterToWire(datacenter: Datacenter): Schemas['Datacenter'] {
  return {
    id: datacenter.id,
    name: datacenter.name,
    region: datacenter.region,
    endpoint: datacenter.endpoint,
    state: datacenter.state,
    profiles: datacenter.profiles.map(profileToWire),
    last_heartbeat_at: datacenter.lastHeartbeatAt,
    created_at: datacenter.createdAt,
    updated_at: datacenter.updatedAt,
  };
}

export function problemToWire(problem: ConfigProblem): Schemas['ConfigProblem'] {
  return problem;
}

export function deploymentToWire(deployment: Deployment): Schemas['Deployment'] {
  return {
    id: deployment.id,
    state: deployment.state,
    version: deployment.version,
    services: deployment.services.map((placement) => ({
      service: placement.service,
      entry: placement.entry,
      profile: placement.profile,
      datacenter_id: placement.datacenterId,
      desired: placement.desired,
      running: placement.running,
      endpoints: placement.endpoints,
    })),
    certificate: deployment.certificate,
    ca_bundle: deployment.caBundle,
    webhook_secret: deployment.webhookSecret,
    created_at: deployment.createdAt,
    updated_at: deployment.updatedAt,
  };
}

export function deploymentSummaryToWire(deployment: DeploymentSummary): Schemas['DeploymentSummary'] {
  return {
    id: deployment.id,
    state: deployment.state,
    version: deployment.version,
    services: deployment.services,
    created_at: deployment.createdAt,
    updated_at: deployment.updatedAt,
  };
}

export function planStepToWire(step: PlanStep): Schemas['PlanStep'] {
  return {
    service: step.service,
    entry: step.entry,
    add: step.add,
    remove: step.remove,
    move: step.move,
    from_datacenter_id: step.fromDatacenterId,
    to_datacenter_id: step.toDatacenterId,
  };
}

/** One event as a server-sent event: its seq the id (Last-Event-ID resumes after it), the event as JSON the data. */
export function eventToServerSentEvent(event: DeploymentEvent): string {
  const data = JSON.stringify({ seq: event.seq, type: event.type, data: event.data, created_at: event.createdAt });
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${data}\n\n`;
}
