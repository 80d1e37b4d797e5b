import { AppError, type InstanceConsole, type ReadInstanceConsoleRequest } from '@overcast/contracts';
import { isUuid, notFound } from './not-found';
import type { BrokerStore } from './ports';
import type { ProviderDirectory } from './provider-directory';

/**
 * The instance's console output (EC2 GetConsoleOutput), read live from its provider. Only providers that
 * keep one (local) answer; the others are a well-formed but unprocessable request, never an empty console.
 */
export function createReadInstanceConsole(deps: { store: BrokerStore; providers: ProviderDirectory }) {
  return async function readInstanceConsole(request: ReadInstanceConsoleRequest): Promise<InstanceConsole> {
    const instance = isUuid(request.id) ? await deps.store.instances.findForTenant(request.tenantId, request.id) : null;
    if (!instance) throw notFound('instance');
    const provider = deps.providers.find(instance.provider);
    if (!provider?.readConsole) throw new AppError('unprocessable', `provider ${instance.provider} keeps no console`);
    // null: the provider never had (or no longer has) this instance, e.g. before provisioning reached it.
    const text = await provider.readConsole(instance.id);
    return { text: text ?? '' };
  };
}
