import { AppError } from '@overcast/contracts';
import { canonicalInstanceType, type ComputeProvider } from '@overcast/providers';

/** The providers this broker may use, by registry name (only the ones the operator enabled). */
export interface ProviderDirectory {
  names(): string[];
  find(name: string): ComputeProvider | undefined;
}

/** The provider named by a request; an unknown one is a well-formed but unprocessable request (422). */
export function requireProvider(providers: ProviderDirectory, name: string, path = 'provider'): ComputeProvider {
  const provider = providers.find(name);
  if (provider) return provider;
  const known = providers.names().join(', ') || 'none';
  const message = `unknown provider "${name}" (enabled: ${known})`;
  throw new AppError('unprocessable', message, { details: [{ path, message }] });
}

/**
 * The instance type as stored (cloud-brain's `default` as `standard`), when the provider has it: a size class or a
 * native type of that provider (EC2's `c3.2xlarge`, GCE's `n1-standard-4`); else 422 naming the field and provider.
 */
export function requireInstanceType(provider: ComputeProvider, requested: string, path: string): string {
  if (provider.machineTypeOf(requested) !== null) return canonicalInstanceType(requested);
  const message = `provider "${provider.name}" has no instance type "${requested}" (standard, premium, or one of its own machine types)`;
  throw new AppError('unprocessable', message, { details: [{ path, message }] });
}
