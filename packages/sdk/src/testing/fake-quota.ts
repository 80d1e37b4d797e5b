import type { Quota } from '../types';
import type { FakeRequest, FakeRoute } from './fake-http';
import { FakeHttpError } from './fake-http';
import type { FakeState } from './fake-state';

/** Counted as the gateway counts: instances not terminated (nor errored), plus one per pending build that boots. */
function instanceQuotaOf(state: FakeState): Quota {
  const live = [...state.instances.values()].filter(
    (instance) => instance.state !== 'terminated' && instance.state !== 'errored',
  ).length;
  const pending = [...state.builds.values()].filter((build) => build.state === 'pending' && build.boot_instance).length;
  return { name: 'instances', limit: state.instanceQuota, used: live + pending };
}

/** Room for `requested` more instances, or the gateway's 403 naming the quota. */
export function takeInstanceQuota(state: FakeState, requested: number): void {
  const quota = instanceQuotaOf(state);
  if (quota.used + requested <= quota.limit) return;
  const message = `instances quota exceeded: ${quota.used} of ${quota.limit} in use, ${requested} requested`;
  throw new FakeHttpError(403, 'quota_exceeded', message, [
    { path: 'quota.instances', message, quota: { ...quota, requested } },
  ]);
}

/**
 * The app manager's quotas at their default limits. This fake serves no districts or apps (the gateway's tests run
 * those against the real app manager), so none is ever in use; it lists them because the real GET /quotas does.
 */
const appManagerQuotas: Quota[] = [
  { name: 'districts', limit: 100, used: 0 },
  { name: 'apps', limit: 10_000, used: 0 },
];

export const quotaRoutes: FakeRoute[] = [
  {
    method: 'GET',
    pattern: '/quotas',
    access: 'token',
    handle: (request: FakeRequest) => ({
      status: 200,
      json: { quotas: [instanceQuotaOf(request.state), ...appManagerQuotas] },
    }),
  },
];
