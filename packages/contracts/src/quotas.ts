import { z } from 'zod';
import { defineRpc } from './catalog';
import { TenantScope } from './platform';

/**
 * A per-tenant limit on live resources and how much of it is taken. Each service that owns limited resources
 * answers `<service>.quotas` for the tenant; `GET /quotas` lists them all. Names are wire names: never renamed.
 */
export const Quota = z.object({
  /** `instances`: instances not terminated (creating, starting, running, terminating) plus pending builds' count. */
  name: z.string().min(1),
  limit: z.number().int().nonnegative(),
  used: z.number().int().nonnegative(),
});
export type Quota = z.infer<typeof Quota>;

export const QuotaList = z.object({ quotas: z.array(Quota) });
export type QuotaList = z.infer<typeof QuotaList>;

export function defineServiceQuotasRpc<const TService extends string>(service: TService) {
  return defineRpc({ type: `${service}.quotas` as const, service, request: TenantScope, response: QuotaList });
}

/** What `quota_exceeded` names in its detail: the quota, its limit, what is in use and what was asked for. */
export const QuotaExcess = Quota.extend({ requested: z.number().int().positive() });
export type QuotaExcess = z.infer<typeof QuotaExcess>;
