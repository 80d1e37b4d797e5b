import { renderReferencePage, type OpenApiDocument } from '@overcast/api-spec';
import { runReadinessChecks, type Logger, type ReadinessCheck } from '@overcast/service-kit';
import type { ProbeServices } from '../../../domain/probe-services';
import type { components } from '../generated/openapi';
import { defineRoute, type RouteDefinition } from '../route-definition';

type ServiceHealth = components['schemas']['ServiceHealth'];

export interface OpsRouteDeps {
  document: OpenApiDocument;
  logger: Logger;
  /** The gateway's own dependencies (database, broker): they decide its status. */
  checks: Record<string, ReadinessCheck>;
  probeServices: ProbeServices;
}

/** /openapi.json, /docs and `overcast status` (GET /status); /healthz, /readyz and /metrics are service-kit's. */
export function opsRoutes(deps: OpsRouteDeps): RouteDefinition[] {
  let referencePage: string | undefined;

  const documentBody: Record<string, unknown> = { ...deps.document };

  return [
    defineRoute({ method: 'get', path: '/openapi.json', handle: (_req, res) => void res.json(documentBody) }),
    defineRoute({
      method: 'get',
      path: '/docs',
      handle(_req, res) {
        referencePage ??= renderReferencePage(deps.document);
        res.type('html').send(referencePage);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/status',
      async handle(_req, res) {
        const started = performance.now();
        const [{ status, checks }, probes] = await Promise.all([
          runReadinessChecks({ checks: deps.checks, logger: deps.logger }),
          deps.probeServices(),
        ]);
        const gateway: ServiceHealth = {
          service: 'gateway-api',
          status: status === 'ready' ? 'up' : 'down',
          latency_ms: Math.round(performance.now() - started),
          checks,
        };
        const services: ServiceHealth[] = [
          gateway,
          ...probes.map((probe): ServiceHealth =>
            probe.up
              ? { service: probe.service, status: 'up', latency_ms: probe.latencyMs ?? 0, checks: probe.checks ?? {} }
              : { service: probe.service, status: 'down' },
          ),
        ];
        res.json({ status: services.every((service) => service.status === 'up') ? 'ok' : 'degraded', services });
      },
    }),
  ];
}
