import { renderReferencePage, type OpenApiDocument } from '@overcast/api-spec';
import { runReadinessChecks, type Logger, type ReadinessCheck, type ServiceMetrics } from '@overcast/service-kit';
import type { ProbeServices } from '../../../domain/probe-services';
import type { components } from '../generated/openapi';
import { defineRoute, type RouteDefinition } from '../route-definition';

type ServiceHealth = components['schemas']['ServiceHealth'];

export interface OpsRouteDeps {
  document: OpenApiDocument;
  metrics: ServiceMetrics;
  logger: Logger;
  /** The gateway's own dependencies (database, broker): they decide readiness. */
  checks: Record<string, ReadinessCheck>;
  probeServices: ProbeServices;
}

/** /healthz, /readyz, /metrics, /openapi.json, /docs and `overcast status` (GET /status). */
export function opsRoutes(deps: OpsRouteDeps): RouteDefinition[] {
  let referencePage: string | undefined;

  async function ownChecks(): Promise<Record<string, boolean>> {
    const report = await runReadinessChecks({ checks: deps.checks, logger: deps.logger });
    return Object.fromEntries(Object.entries(report.checks).map(([name, outcome]) => [name, outcome === 'ok']));
  }

  const serveMetrics = deps.metrics.handler();
  const documentBody: Record<string, unknown> = { ...deps.document };

  return [
    defineRoute({
      method: 'get',
      path: '/healthz',
      unlimited: true,
      handle: (_req, res) => void res.json({ status: 'ok' }),
    }),
    defineRoute({
      method: 'get',
      path: '/readyz',
      unlimited: true,
      // Readiness is the gateway's own database and broker; a down service must not take every gateway
      // out of the load balancer, so which services answer is reported beside it, not folded into it.
      async handle(_req, res) {
        const [checks, probes] = await Promise.all([ownChecks(), deps.probeServices()]);
        const ready = Object.values(checks).every(Boolean);
        res.setHeader('Cache-Control', 'no-store');
        res.status(ready ? 200 : 503).json({
          status: ready ? 'ready' : 'not_ready',
          checks,
          services: Object.fromEntries(probes.map((probe) => [probe.service, probe.up])),
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/metrics',
      unlimited: true,
      // The handler never calls next; were it to pass an error, throwing it reaches the error middleware.
      async handle(req, res) {
        await serveMetrics(req, res, (error?: unknown) => {
          if (error) throw error;
        });
      },
    }),
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
        const [checks, probes] = await Promise.all([ownChecks(), deps.probeServices()]);
        const gateway: ServiceHealth = {
          service: 'gateway-api',
          status: Object.values(checks).every(Boolean) ? 'up' : 'down',
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
