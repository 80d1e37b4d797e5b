import { accountsReportRpc, dailyUsageReportRpc, imagesReportRpc } from '@overcast/contracts';
import { principalOf } from '../request-context';
import { defineRoute, type RouteDefinition } from '../route-definition';
import { accountOverviewToWire, dailyUsageToWire, imageOverviewToWire } from '../wire/usage-wire';
import type { UsageRouteDeps } from './usage-account-routes';
import { reportInstantOf } from './usage-values';
import { given } from './forwarded-values';

interface ReportQuery {
  start: string;
  end: string;
  name_pattern?: string;
  account_id?: number;
}

function reportRequest(tenantId: string, query: ReportQuery) {
  return {
    tenantId,
    start: reportInstantOf(query.start, 'start'),
    end: reportInstantOf(query.end, 'end'),
    namePattern: given(query.name_pattern),
    accountId: query.account_id,
  };
}

/** cloudigrade's reports over [start, end): daily usage, accounts overview, images overview. */
export function usageReportRoutes(deps: UsageRouteDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/report/instances/',
      async handle(_req, res, { query }) {
        const report = await deps.call(dailyUsageReportRpc, reportRequest(principalOf(res).tenantId, query));
        res.json(dailyUsageToWire(report));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/report/accounts/',
      async handle(_req, res, { query }) {
        const report = await deps.call(accountsReportRpc, reportRequest(principalOf(res).tenantId, query));
        res.json({ cloud_account_overviews: report.cloudAccountOverviews.map(accountOverviewToWire) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/report/images/',
      async handle(_req, res, { query }) {
        const report = await deps.call(imagesReportRpc, {
          ...reportRequest(principalOf(res).tenantId, query),
          accountId: query.account_id,
        });
        res.json({ images: report.images.map(imageOverviewToWire) });
      },
    }),
  ];
}
