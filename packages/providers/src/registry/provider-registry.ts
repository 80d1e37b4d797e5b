import { AppError } from '@overcast/contracts';
import type { ComputeProvider } from '../core/compute';

/** What a registry holds: compute providers, container platforms. */
export interface NamedProvider {
  readonly name: string;
  close?(): Promise<void>;
}

export interface ProviderRegistry<Provider extends NamedProvider = ComputeProvider> {
  /** The provider registered under `name`; unknown names are the caller's mistake (bad_request). */
  get(name: string): Provider;
  has(name: string): boolean;
  /** Registered names, sorted. */
  names(): string[];
  /** Close every provider that holds resources (clients, watchers). */
  close(): Promise<void>;
}

/**
 * Providers by name. A record lets operators register one implementation under several names
 * (cloud-brain's `gce-staging` next to `gce`); a list registers each under its own `name`.
 */
export function createProviderRegistry<Provider extends NamedProvider = ComputeProvider>(
  providers: Provider[] | Record<string, Provider>,
): ProviderRegistry<Provider> {
  const byName = new Map<string, Provider>();
  const entries = Array.isArray(providers)
    ? providers.map((provider) => [provider.name, provider] as const)
    : Object.entries(providers);
  for (const [name, provider] of entries) {
    if (!name) throw new TypeError('provider registry: every provider needs a non-empty name');
    if (byName.has(name)) throw new TypeError(`provider registry: "${name}" is registered twice`);
    byName.set(name, provider);
  }
  const names = () => [...byName.keys()].sort();

  return {
    get(name) {
      const provider = byName.get(name);
      if (provider) return provider;
      const known = names();
      throw new AppError('bad_request', `unknown provider "${name}"`, {
        details: [
          {
            path: 'provider',
            message: known.length ? `must be one of: ${known.join(', ')}` : 'no providers are configured',
          },
        ],
      });
    },
    has: (name) => byName.has(name),
    names,
    async close() {
      await Promise.all(
        [...new Set(byName.values())].map(async (provider) => {
          await provider.close?.();
        }),
      );
    },
  };
}
