import { defineServiceStatusRpc } from '@overcast/contracts';
import type { Bus } from '@overcast/messaging';

export interface ServiceProbe {
  service: string;
  /** Answered in time and reported itself ready. */
  up: boolean;
  latencyMs?: number;
  checks?: Record<string, boolean>;
}

/**
 * Asks each service for `<service>.status` over the bus, all at once, each with a short timeout: a service
 * that does not answer in time is down. Used by /readyz (informational) and /status.
 */
export function createProbeServices(deps: {
  bus: Bus;
  services: readonly string[];
  timeoutMs: number;
  now?: () => number;
}) {
  const now = deps.now ?? (() => performance.now());
  const definitions = deps.services.map((service) => defineServiceStatusRpc(service));

  return function probeServices(): Promise<ServiceProbe[]> {
    return Promise.all(
      definitions.map(async (definition): Promise<ServiceProbe> => {
        const started = now();
        try {
          const status = await deps.bus.call(definition, {}, { timeoutMs: deps.timeoutMs });
          return {
            service: definition.service,
            up: status.ready,
            latencyMs: Math.round(now() - started),
            checks: status.checks,
          };
        } catch {
          return { service: definition.service, up: false };
        }
      }),
    );
  };
}

export type ProbeServices = ReturnType<typeof createProbeServices>;
