import { OVERCAST_ID_TAG } from '../core/compute';
import { gceMachineTypeOf } from '../core/machine-types';
import type { ComputeProvider, ProviderInstance } from '../core/compute';
import type { GceComputeConfig } from './config';
import { resolveGceConfig } from './config';
import { closeGceClients, createGceClients } from './gce-clients';
import { callGce } from './gce-errors';
import { findNewestImage } from './images';
import { deleteInstance, getInstanceByName, insertInstance } from './insert-instance';
import { instanceName, toProviderInstance } from './instance-mapping';
import { ensureSshFirewall } from './ssh-firewall';

/** GCE instances in one project and zone, named `overcast-<id>` and labelled `overcast-id`. */
export function createGceComputeProvider(config: GceComputeConfig): ComputeProvider {
  const resolved = resolveGceConfig(config);
  const clients = createGceClients(config);

  async function listInstances(): Promise<ProviderInstance[]> {
    const found: ProviderInstance[] = [];
    let pageToken: string | undefined;
    do {
      const [page, nextRequest] = await callGce('instances.list', () =>
        clients.instances.list(
          {
            project: resolved.projectId,
            zone: resolved.zone,
            filter: `labels.${OVERCAST_ID_TAG}:*`,
            ...(pageToken === undefined ? {} : { pageToken }),
          },
          { autoPaginate: false },
        ),
      );
      for (const instance of page) {
        const mapped = toProviderInstance(instance);
        if (mapped) found.push(mapped);
      }
      pageToken = nextRequest?.pageToken ?? undefined;
    } while (pageToken);
    return found;
  }

  return {
    name: 'gce',
    machineTypeOf: (requested) => gceMachineTypeOf(requested, resolved.machineTypes),
    createInstance: (input) => insertInstance(clients, resolved, input),
    terminateInstance: (id) => deleteInstance(clients, resolved, id),
    getInstance: (id) => getInstanceByName(clients, resolved, instanceName(id)),
    listInstances,
    ensureSshSecurityGroup: (name) => ensureSshFirewall(clients, resolved, name),
    findNewestImage: (role) => findNewestImage(clients, resolved, role),
    close: () => closeGceClients(clients),
  };
}
