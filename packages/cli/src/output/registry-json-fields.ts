import type { Datacenter, DeploymentSummary } from '@overcast/sdk';
import { fieldsOf } from './json-fields';

export const datacenterFields = fieldsOf<Datacenter>({
  id: true,
  name: true,
  region: true,
  endpoint: true,
  state: true,
  profiles: true,
  last_heartbeat_at: true,
  created_at: true,
  updated_at: true,
});

export const deploymentSummaryFields = fieldsOf<DeploymentSummary>({
  id: true,
  state: true,
  version: true,
  services: true,
  created_at: true,
  updated_at: true,
});
