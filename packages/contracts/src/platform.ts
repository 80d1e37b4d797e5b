import { z } from 'zod';
import { defineRpc } from './catalog';

/** Every service answers `<service>.status`; the gateway's /readyz and `overcast status` use it. */
export const ServiceStatus = z.object({
  service: z.string(),
  ready: z.boolean(),
  uptimeSeconds: z.number().nonnegative(),
  /** Named readiness checks (database, broker…) and whether each passed. */
  checks: z.record(z.string(), z.boolean()),
});
export type ServiceStatus = z.infer<typeof ServiceStatus>;

export function defineServiceStatusRpc<const TService extends string>(service: TService) {
  return defineRpc({ type: `${service}.status` as const, service, request: z.object({}), response: ServiceStatus });
}

/**
 * Every request for a tenant-owned resource carries the caller's tenant, resolved by the gateway from the
 * token. Services scope every query by it: another tenant's resource is "not found", never "forbidden".
 */
export const TenantScope = z.object({ tenantId: z.string().min(1) });
export type TenantScope = z.infer<typeof TenantScope>;

/** Cursor pagination, the same on every list RPC and route. */
export const PageRequest = z.object({
  limit: z.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).optional(),
});
export type PageRequest = z.infer<typeof PageRequest>;

export const Roles = z.enum(['admin', 'developer']);
export type Role = z.infer<typeof Roles>;
