import { defineCatalog, defineServiceStatusRpc } from '@overcast/contracts';
import type { Bus, Consumer } from '@overcast/messaging';
import { runReadinessChecks, type Logger, type ReadinessCheck } from '@overcast/service-kit';

export const gatewayServiceName = 'gateway-api';
export const gatewayStatusRpc = defineServiceStatusRpc(gatewayServiceName);

/** Answers `gateway-api.status` like every service answers `<service>.status`. */
export function serveGatewayStatus(deps: {
  bus: Bus;
  checks: Record<string, ReadinessCheck>;
  logger: Logger;
  startedAt: number;
}): Promise<Consumer> {
  return deps.bus.serve(gatewayServiceName, defineCatalog(gatewayStatusRpc), {
    'gateway-api.status': async () => {
      const report = await runReadinessChecks({ checks: deps.checks, logger: deps.logger });
      return {
        service: gatewayServiceName,
        ready: report.status === 'ready',
        uptimeSeconds: Math.max(0, (Date.now() - deps.startedAt) / 1000),
        checks: report.checks,
      };
    },
  });
}
