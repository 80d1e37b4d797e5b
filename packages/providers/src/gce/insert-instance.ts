import type { protos } from '@google-cloud/compute';
import type { CreateInstanceInput, ProviderInstance } from '../core/compute';
import { ProviderError } from '../core/compute';
import type { ResolvedGceConfig } from './config';
import type { GceClients } from './gce-clients';
import { callGce, isGceAlreadyExists, isGceNotFound, operationError, toProviderError } from './gce-errors';
import { resolveSourceImage } from './images';
import { buildInstanceResource } from './instance-resource';
import { instanceName, toProviderInstance } from './instance-mapping';

type Operation = protos.google.cloud.compute.v1.IOperation;

export async function getInstanceByName(
  clients: GceClients,
  config: ResolvedGceConfig,
  name: string,
): Promise<ProviderInstance | null> {
  try {
    const [instance] = await clients.instances.get({ project: config.projectId, zone: config.zone, instance: name });
    return toProviderInstance(instance);
  } catch (error) {
    if (isGceNotFound(error)) return null;
    throw toProviderError(error, 'instances.get');
  }
}

/** Insert, answering 'exists' when GCE says an instance of that name already exists (an earlier try's). */
async function insert(
  clients: GceClients,
  config: ResolvedGceConfig,
  input: CreateInstanceInput,
): Promise<Operation | 'exists'> {
  const sourceImage = await resolveSourceImage(clients, config, input.image);
  try {
    const [operation] = await clients.instances.insert({
      project: config.projectId,
      zone: config.zone,
      // GCE answers a repeated request id with the first request's operation instead of a second insert.
      requestId: input.id,
      instanceResource: buildInstanceResource(config, input, sourceImage),
    });
    // The REST transport hands back the Operation resource as `latestResponse`.
    return (operation as unknown as { latestResponse: Operation }).latestResponse;
  } catch (error) {
    if (isGceAlreadyExists(error)) return 'exists';
    throw toProviderError(error, 'instances.insert');
  }
}

async function waitForOperation(
  clients: GceClients,
  config: ResolvedGceConfig,
  operation: Operation,
): Promise<Operation> {
  const [finished] = await callGce('zoneOperations.wait', () =>
    clients.zoneOperations.wait({
      project: config.projectId,
      zone: config.zone,
      operation: operation.name ?? String(operation.id),
    }),
  );
  return finished;
}

/**
 * Create or adopt `overcast-<id>`. The insert's zone operation is awaited (one operations.wait call, which
 * GCE holds open for up to two minutes) because GCE reports bad images, quota and capacity only there:
 * without waiting, such a create would "succeed" and the instance would silently never appear.
 */
export async function insertInstance(
  clients: GceClients,
  config: ResolvedGceConfig,
  input: CreateInstanceInput,
): Promise<ProviderInstance> {
  const name = instanceName(input.id);
  const existing = await getInstanceByName(clients, config, name);
  if (existing) return existing;
  const operation = await insert(clients, config, input);
  if (operation !== 'exists') {
    const finished = operation.status === 'DONE' ? operation : await waitForOperation(clients, config, operation);
    const errors = finished.error?.errors ?? [];
    if (errors.length > 0 && !errors.some((error) => error.code === 'RESOURCE_ALREADY_EXISTS')) {
      throw operationError('instances.insert', errors);
    }
  }
  const created = await getInstanceByName(clients, config, name);
  if (created) return created;
  throw new ProviderError(`GCE instance ${name} is not visible yet`, { retryable: true });
}

/** Delete by deterministic name; an instance already gone is success. Not awaited: STOPPING → gone. */
export async function deleteInstance(clients: GceClients, config: ResolvedGceConfig, id: string): Promise<void> {
  try {
    await clients.instances.delete({ project: config.projectId, zone: config.zone, instance: instanceName(id) });
  } catch (error) {
    if (!isGceNotFound(error)) throw toProviderError(error, 'instances.delete');
  }
}
