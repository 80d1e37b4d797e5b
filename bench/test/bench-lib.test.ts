import { openApiDocument, type OpenApiDocument } from '@overcast/api-spec';
import { formatCosts } from '../lib/costs';
import { percentile } from '../lib/percentiles';
import { cpuMsOf, measureCpu } from '../lib/process-cpu';
import { formatTargetCheck, targetCheck } from '../lib/targets';
import { withoutAuthentication } from '../lib/without-authentication';
import { describeOutcomeChange, parseVerificationOutcomes } from '../gateway/verification-outcomes';

describe('percentile', () => {
  it('takes the nearest rank of unsorted samples', () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(samples, 0.5)).toBe(5);
    expect(percentile(samples, 0.99)).toBe(10);
    expect(percentile(samples, 0)).toBe(1);
  });

  it('is NaN without samples', () => {
    expect(percentile([], 0.5)).toBeNaN();
  });
});

describe('targetCheck', () => {
  it('meets an at-most target at the bound and misses above it', () => {
    expect(targetCheck('p99', 50, 50, 'at-most').met).toBe(true);
    expect(targetCheck('p99', 50.1, 50, 'at-most').met).toBe(false);
  });

  it('shows ratios as percentages and says when a target is missed', () => {
    const line = formatTargetCheck(targetCheck('authenticated vs express + pg', 0.25, 0.4, 'ratio'));
    expect(line).toContain('BELOW TARGET');
    expect(line).toContain('25% (target ≥ 40%)');
  });
});

describe('verification outcomes', () => {
  const exposition = [
    '# HELP gateway_token_verifications_total Token verifications by outcome',
    'gateway_token_verifications_total{outcome="cached",service="gateway-api"} 120',
    'gateway_token_verifications_total{service="gateway-api",outcome="over_budget"} 7',
    'other_metric{outcome="cached"} 99',
  ].join('\n');

  it('reads the counts by outcome whatever the label order', () => {
    expect(parseVerificationOutcomes(exposition)).toEqual({ cached: 120, over_budget: 7 });
  });

  it('describes only what changed between two readings', () => {
    expect(describeOutcomeChange({ cached: 100, matched: 1 }, { cached: 120, matched: 1, over_budget: 7 })).toBe(
      'cached 20, over_budget 7',
    );
  });
});

describe('CPU accounting', () => {
  it('charges the work to the process that did it', async () => {
    const { cpuMs } = await measureCpu(
      async () => ({ self: [process.pid], gone: [2 ** 22 + 12345] }),
      async () => {
        // Spin until the kernel has charged this process some CPU ticks (bounded, whatever the machine's load).
        const start = cpuMsOf(process.pid);
        const deadline = Date.now() + 5_000;
        while (cpuMsOf(process.pid) < start + 20 && Date.now() < deadline) Math.sqrt(Math.random());
      },
    );
    expect(cpuMs.self).toBeGreaterThan(0);
    expect(cpuMs.gone).toBe(0);
    expect(cpuMsOf(process.pid)).toBeGreaterThan(0);
  });

  it('reports costs per request and leaves out idle processes', () => {
    const line = formatCosts({ cpuMs: { gateway: 500, idle: 1 }, databaseQueries: { broker: 1000 } }, 1000);
    expect(line).toBe('CPU ms/request: gateway 0.500; DB queries/request: broker 1.0');
  });
});

describe('withoutAuthentication', () => {
  const securityOf = (document: OpenApiDocument, path: string) => document.paths[path]?.get?.security;

  it('makes only the named operations public, in a copy', () => {
    const copy = withoutAuthentication(openApiDocument, ['getStatus']);
    expect(securityOf(copy, '/status')).toEqual([]);
    expect(securityOf(openApiDocument, '/status')).toBeUndefined();
    expect(copy.security).toEqual(openApiDocument.security);
    expect(copy.paths['/tokens']).toEqual(openApiDocument.paths['/tokens']);
  });

  it('refuses an operation the spec does not have', () => {
    expect(() => withoutAuthentication(openApiDocument, ['getNothing'])).toThrow('no operation getNothing in the spec');
  });
});
