import type { protos } from '@google-cloud/compute';
import type { CreateInstanceInput } from '../core/compute';
import { OVERCAST_ID_TAG } from '../core/compute';
import { gceMachineTypeOf } from '../core/machine-types';
import type { ResolvedGceConfig } from './config';
import { instanceName, tagsToLabels } from './instance-mapping';

/** The Instance resource cloud-brain inserted, plus Overcast's label, user data and SSH key. */
export function buildInstanceResource(
  config: ResolvedGceConfig,
  input: CreateInstanceInput,
  sourceImage: string,
): protos.google.cloud.compute.v1.IInstance {
  const zonePath = `zones/${config.zone}`;
  const metadataItems: { key: string; value: string }[] = [];
  if (input.userData !== undefined) metadataItems.push({ key: 'user-data', value: input.userData });
  if (input.sshPublicKey)
    metadataItems.push({ key: 'ssh-keys', value: `${config.sshUser}:${input.sshPublicKey.trim()}` });
  return {
    name: instanceName(input.id),
    machineType: `${zonePath}/machineTypes/${gceMachineTypeOf(input.instanceType, config.machineTypes) ?? input.instanceType}`,
    labels: tagsToLabels({ ...input.tags, [OVERCAST_ID_TAG]: input.id }),
    metadata: { items: metadataItems },
    disks: [
      {
        boot: true,
        autoDelete: true,
        type: 'PERSISTENT',
        initializeParams: {
          sourceImage,
          diskSizeGb: String(config.diskSizeGb),
          diskType: `${zonePath}/diskTypes/${config.diskType}`,
        },
      },
    ],
    networkInterfaces: [
      {
        network: `global/networks/${config.network}`,
        ...(input.subnetId ? { subnetwork: input.subnetId } : {}),
        accessConfigs: config.publicIp ? [{ name: 'External NAT', type: 'ONE_TO_ONE_NAT' }] : [],
      },
    ],
    // The SSH "security group" on GCE is a firewall rule targeting a network tag of the same name.
    ...(input.securityGroupId ? { tags: { items: [input.securityGroupId] } } : {}),
    scheduling: { preemptible: config.preemptible, automaticRestart: !config.preemptible },
  };
}
