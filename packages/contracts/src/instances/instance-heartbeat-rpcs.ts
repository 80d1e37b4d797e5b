import { z } from 'zod';
import { defineRpc } from '../catalog';
import { INSTANCE_BROKER_SERVICE, Instance } from './instance';

/**
 * pudding's `POST /instance-heartbeats/{build}`: an instance of the build asks whether it should stay up.
 * Authenticated like the init script (the caller's tenant, or the build's secret); the instance must be one of
 * that build's, named by its uuid, `i-<uuid>`, `i-<8 hex digits>` or its provider's id. An unknown build or a
 * wrong secret is `not_found` ("instance build not found"), an instance that is not the build's `not_found`
 * ("unknown instance", pudding's words).
 */
export const HeartbeatInstanceRequest = z
  .object({
    buildId: z.string().min(1).max(200),
    tenantId: z.string().min(1).optional(),
    secret: z.string().min(1).max(255).optional(),
    instanceId: z.string().min(1).max(255),
  })
  .refine((request) => request.tenantId !== undefined || request.secret !== undefined, {
    message: 'either tenantId or secret is required',
    path: ['secret'],
  });
export type HeartbeatInstanceRequest = z.infer<typeof HeartbeatInstanceRequest>;

/** `down` once the instance is being terminated (asked over the API, or its autoscaling group let it go). */
export const ExpectedInstanceState = z.enum(['up', 'down']);
export type ExpectedInstanceState = z.infer<typeof ExpectedInstanceState>;

export const HeartbeatInstanceResponse = z.object({ instance: Instance, expectedState: ExpectedInstanceState });
export type HeartbeatInstanceResponse = z.infer<typeof HeartbeatInstanceResponse>;

export const heartbeatInstanceRpc = defineRpc({
  type: 'instance-build.heartbeat',
  service: INSTANCE_BROKER_SERVICE,
  request: HeartbeatInstanceRequest,
  response: HeartbeatInstanceResponse,
});
