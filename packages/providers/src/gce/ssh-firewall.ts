import { ProviderError } from '../core/compute';
import type { ResolvedGceConfig } from './config';
import type { GceClients } from './gce-clients';
import { isGceAlreadyExists, toProviderError } from './gce-errors';

const firewallName = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * GCE's equivalent of pudding's SSH security group: a firewall rule opening TCP 22 to instances carrying a
 * network tag of the same name. The returned name is what createInstance takes as `securityGroupId`.
 */
export async function ensureSshFirewall(clients: GceClients, config: ResolvedGceConfig, name: string): Promise<string> {
  if (!firewallName.test(name)) {
    throw new ProviderError(`"${name}" is not a valid GCE firewall name`, { retryable: false, code: 'INVALID_NAME' });
  }
  try {
    await clients.firewalls.insert({
      project: config.projectId,
      firewallResource: {
        name,
        description: 'Overcast instance builds: inbound SSH',
        network: `global/networks/${config.network}`,
        direction: 'INGRESS',
        allowed: [{ IPProtocol: 'tcp', ports: ['22'] }],
        sourceRanges: [config.sshIngressCidr],
        targetTags: [name],
      },
    });
  } catch (error) {
    // An earlier try created it.
    if (!isGceAlreadyExists(error)) throw toProviderError(error, 'firewalls.insert');
  }
  return name;
}
