import { referenceDocument, referenceScriptPath, renderReferencePage, type OpenApiDocument } from '@overcast/api-spec';
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

/** The reference page's script changes only with the installed Scalar version: a day of caching is safe. */
const scriptMaxAgeMs = 24 * 60 * 60 * 1000;

/** /openapi.json, /docs and `overcast status` (GET /status); /healthz, /readyz and /metrics are service-kit's. */
export function opsRoutes(deps: OpsRouteDeps): RouteDefinition[] {
  const referencePage = renderReferencePage({
    documentUrl: '/openapi.json',
    scriptUrl: '/docs/api-reference.js',
    title: `${deps.document.info.title} reference`,
  });

  return [
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      // The server is the URL the caller reached (behind a trusted proxy, its X-Forwarded-Proto and Host), so the
      // reference page's try-it and samples call this gateway whatever port or name it was served on.
      handle(req, res) {
        const served: Record<string, unknown> = {
          ...referenceDocument(deps.document, `${req.protocol}://${req.get('host')}`),
        };
        res.json(served);
      },
    }),
    defineRoute({ method: 'get', path: '/docs', handle: (_req, res) => void res.type('html').send(referencePage) }),
    defineRoute({
      method: 'get',
      path: '/docs/api-reference.js',
      handle: (_req, res) =>
        // dotfiles: pnpm installs it under node_modules/.pnpm, which `send` would otherwise refuse as hidden.
        res.sendFile(referenceScriptPath, {
          maxAge: scriptMaxAgeMs,
          dotfiles: 'allow',
          headers: { 'Content-Type': 'text/javascript; charset=utf-8' },
        }),
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
