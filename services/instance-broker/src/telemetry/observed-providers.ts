import { SpanKind } from '@opentelemetry/api';
import { inSpan } from '@overcast/messaging';
import { ProviderError, type ComputeProvider } from '@overcast/providers';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { ProviderDirectory } from '../domain/provider-directory';

// machineTypeOf is pure (no call to the cloud): the wrapper inherits it unobserved.
type Operation = Exclude<keyof ComputeProvider, 'name' | 'close' | 'machineTypeOf'>;
const operations: readonly Operation[] = [
  'createInstance',
  'terminateInstance',
  'getInstance',
  'listInstances',
  'ensureSshSecurityGroup',
  'findNewestImage',
  'readConsole',
];

interface ProviderMetrics {
  duration: Histogram<'provider' | 'operation' | 'outcome'>;
  errors: Counter<'provider' | 'operation' | 'retryable'>;
}

function createProviderMetrics(registry: Registry): ProviderMetrics {
  return {
    duration: new Histogram({
      name: 'provider_call_duration_seconds',
      help: 'Calls to a cloud provider, by provider, operation and outcome (ok or error).',
      labelNames: ['provider', 'operation', 'outcome'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'provider_call_errors_total',
      help: 'Failed provider calls, by provider, operation and whether the error is worth retrying.',
      labelNames: ['provider', 'operation', 'retryable'] as const,
      registers: [registry],
    }),
  };
}

/**
 * The providers, each call in a client span and timed. A wrapper at the directory, the one place the use cases
 * get a provider from, so no adapter (AWS SDK, GCE client, local, fake) needs to know about telemetry; the SDKs'
 * own HTTP calls happen inside these spans.
 */
export function observeProviders(directory: ProviderDirectory, registry: Registry): ProviderDirectory {
  const metrics = createProviderMetrics(registry);
  const observed = new WeakMap<ComputeProvider, ComputeProvider>();
  return {
    names: () => directory.names(),
    find(name) {
      const provider = directory.find(name);
      if (!provider) return undefined;
      let wrapped = observed.get(provider);
      if (!wrapped) {
        wrapped = observeProvider(provider, metrics);
        observed.set(provider, wrapped);
      }
      return wrapped;
    },
  };
}

function observeProvider(provider: ComputeProvider, metrics: ProviderMetrics): ComputeProvider {
  const wrapped: ComputeProvider = Object.create(provider) as ComputeProvider;
  for (const operation of operations) {
    const method = provider[operation] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (!method) continue;
    Object.defineProperty(wrapped, operation, {
      value: (...args: unknown[]) => observeCall(provider.name, operation, metrics, () => method.apply(provider, args)),
    });
  }
  return wrapped;
}

function observeCall<T>(
  provider: string,
  operation: Operation,
  metrics: ProviderMetrics,
  call: () => Promise<T>,
): Promise<T> {
  const attributes = { 'overcast.provider': provider, 'overcast.provider.operation': operation };
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  return inSpan(`provider ${provider} ${operation}`, SpanKind.CLIENT, attributes, async () => {
    try {
      const result = await call();
      metrics.duration.observe({ provider, operation, outcome: 'ok' }, seconds());
      return result;
    } catch (error) {
      const retryable = error instanceof ProviderError ? error.retryable : true;
      metrics.duration.observe({ provider, operation, outcome: 'error' }, seconds());
      metrics.errors.inc({ provider, operation, retryable: String(retryable) });
      throw error;
    }
  });
}
