import type {
  Datacenter,
  DatacenterMatches,
  Deployment,
  DeploymentEvent,
  DeploymentSummary,
  PlanStep,
} from '@overcast/sdk';
import type { Column } from './format';
import { formatDetails, formatTable } from './format';

export const datacenterColumns: Column<Datacenter>[] = [
  { header: 'ID', value: (datacenter) => datacenter.id },
  { header: 'NAME', value: (datacenter) => datacenter.name },
  { header: 'REGION', value: (datacenter) => datacenter.region },
  { header: 'STATE', value: (datacenter) => datacenter.state },
  { header: 'ENDPOINT', value: (datacenter) => datacenter.endpoint },
  { header: 'PROFILES', value: (datacenter) => datacenter.profiles.map((profile) => profile.name).join(',') },
];

export function formatDatacenter(datacenter: Datacenter): string {
  const profiles = formatTable(
    [
      { header: 'PROFILE', value: (profile) => profile.name },
      { header: 'CPU', value: (profile) => profile.cpu },
      { header: 'MEMORY', value: (profile) => `${Math.round(profile.memory_bytes / 2 ** 20)}Mi` },
      { header: 'LIFETIME', value: (profile) => profile.lifetime },
      { header: 'PRICE', value: (profile) => profile.price },
      { header: 'CAPACITY', value: (profile) => profile.capacity },
    ],
    datacenter.profiles,
  );
  return (
    formatDetails([
      ['id', datacenter.id],
      ['name', datacenter.name],
      ['region', datacenter.region],
      ['state', datacenter.state],
      ['endpoint', datacenter.endpoint],
      ['last heartbeat', datacenter.last_heartbeat_at],
    ]) + profiles
  );
}

export const deploymentColumns: Column<DeploymentSummary>[] = [
  { header: 'ID', value: (deployment) => deployment.id },
  { header: 'STATE', value: (deployment) => deployment.state },
  { header: 'VERSION', value: (deployment) => deployment.version },
  { header: 'SERVICES', value: (deployment) => deployment.services.join(',') },
  { header: 'CREATED', value: (deployment) => deployment.created_at },
];

/** Photon's `status`: per service and datacenter entry, where it runs and how many of its nodes do. */
export function formatDeployment(deployment: Deployment): string {
  return (
    formatDetails([
      ['id', deployment.id],
      ['state', deployment.state],
      ['version', deployment.version],
      ['updated', deployment.updated_at],
    ]) +
    formatTable(
      [
        { header: 'SERVICE', value: (placement) => placement.service },
        { header: 'ENTRY', value: (placement) => placement.entry },
        { header: 'PROFILE', value: (placement) => placement.profile },
        { header: 'DATACENTER', value: (placement) => placement.datacenter_id ?? '(none matches)' },
        { header: 'RUNNING', value: (placement) => `${placement.running}/${placement.desired}` },
        { header: 'ENDPOINTS', value: (placement) => placement.endpoints.join(',') },
      ],
      deployment.services,
    )
  );
}

export function formatPlan(plan: PlanStep[]): string {
  if (plan.length === 0) return 'no changes\n';
  return formatTable(
    [
      { header: 'SERVICE', value: (step) => step.service },
      { header: 'ENTRY', value: (step) => step.entry },
      { header: 'ADD', value: (step) => step.add },
      { header: 'MOVE', value: (step) => step.move },
      { header: 'REMOVE', value: (step) => step.remove },
      { header: 'FROM', value: (step) => step.from_datacenter_id ?? '-' },
      { header: 'TO', value: (step) => step.to_datacenter_id ?? '-' },
    ],
    plan,
  );
}

export function formatMatches(matches: DatacenterMatches['matches']): string {
  return matches
    .map(
      (match) =>
        `${match.entry} (${match.region}):\n` +
        (match.datacenters.length === 0
          ? '  no datacenter satisfies it\n'
          : formatTable(
              [
                { header: '  ID', value: (datacenter) => `  ${datacenter.id}` },
                { header: 'NAME', value: (datacenter) => datacenter.name },
                { header: 'PRICE', value: (datacenter) => datacenter.price },
              ],
              match.datacenters,
            )),
    )
    .join('');
}

export function formatEvent(event: DeploymentEvent): string {
  return `${event.created_at}  ${event.type}  ${JSON.stringify(event.data)}\n`;
}
