import { AppError } from '@overcast/contracts';
import type { ComputeProvider } from '@overcast/providers';

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
