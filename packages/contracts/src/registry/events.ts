import { z } from 'zod';
import { defineEvent } from '../catalog';

/** A deployment's datacenter entries were placed (on create, update, failover or failback). */
export const DeploymentPlaced = z.object({
  id: z.uuid(),
  tenantId: z.string(),
  placements: z.array(z.object({ entry: z.string(), datacenterId: z.uuid().nullable() })),
});
export const deploymentPlacedEvent = defineEvent({ type: 'deployment.placed', schema: DeploymentPlaced });

/** A datacenter missed its heartbeats (down) or answered again (up). */
export const DatacenterStateChanged = z.object({
  id: z.uuid(),
  tenantId: z.string(),
  from: z.enum(['up', 'down']),
  to: z.enum(['up', 'down']),
});
export const datacenterStateChangedEvent = defineEvent({
  type: 'datacenter.state_changed',
  schema: DatacenterStateChanged,
});
