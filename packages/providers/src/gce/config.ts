import type { InstancesClient } from '@google-cloud/compute';
import type { SizeClass } from '../core/machine-types';

type InstanceSize = SizeClass;

/** google-gax client options, as the compute clients take them. */
export type GceClientOptions = NonNullable<ConstructorParameters<typeof InstancesClient>[0]>;

/** Operator configuration of the GCE compute provider (cloud-brain's provider config, camel-cased). */
export interface GceComputeConfig {
  projectId: string;
  /** cloud-brain's default zone. */
  zone?: string;
  /** Where boot images live; the instance project when absent. */
  imageProjectId?: string;
  /** Overcast size class → machine type. */
  machineTypes?: Partial<Record<InstanceSize, string>>;
  network?: string;
  diskSizeGb?: number;
  diskType?: string;
  preemptible?: boolean;
  /** Give instances an external address (ONE_TO_ONE_NAT), as cloud-brain did. */
  publicIp?: boolean;
  /** Login name the `ssh-keys` metadata grants the instance's SSH key to. */
  sshUser?: string;
  /** Source range of the SSH firewall rule. */
  sshIngressCidr?: string;
  /** Service account key (cloud-brain's account_json); the library's default credentials when absent. */
  credentials?: { client_email: string; private_key: string };
  /** Transport overrides for every client (endpoint, port, protocol, authClient): private endpoints and tests. */
  clientOptions?: GceClientOptions;
}

export interface ResolvedGceConfig {
  projectId: string;
  zone: string;
  imageProjectId: string;
  machineTypes: Record<InstanceSize, string>;
  network: string;
  diskSizeGb: number;
  diskType: string;
  preemptible: boolean;
  publicIp: boolean;
  sshUser: string;
  sshIngressCidr: string;
}

export function resolveGceConfig(config: GceComputeConfig): ResolvedGceConfig {
  if (!config.projectId) throw new TypeError('gce provider config: "projectId" is required');
  return {
    projectId: config.projectId,
    zone: config.zone ?? 'us-central1-a',
    imageProjectId: config.imageProjectId ?? config.projectId,
    machineTypes: { standard: 'n1-standard-2', premium: 'n1-standard-4', ...config.machineTypes },
    network: config.network ?? 'default',
    diskSizeGb: config.diskSizeGb ?? 30,
    diskType: config.diskType ?? 'pd-ssd',
    preemptible: config.preemptible ?? false,
    publicIp: config.publicIp ?? true,
    sshUser: config.sshUser ?? 'overcast',
    sshIngressCidr: config.sshIngressCidr ?? '0.0.0.0/0',
  };
}
