import { EC2Client } from '@aws-sdk/client-ec2';
import type { ComputeProvider, CreateInstanceInput, ProviderInstance } from '../core/compute';
import { ProviderError } from '../core/compute';
import { ec2InstanceTypeOf } from '../core/machine-types';
import { createAwsAutoscalingClients, createAwsAutoscalingGroups } from './autoscaling-groups';
import type { AwsComputeConfig } from './config';
import { resolveAwsConfig } from './config';
import { describeAllOvercastInstances, describeInstancesById } from './describe-overcast-instances';
import { pickCurrentInstance, recordToTags, tagsToRecord, toProviderInstance } from './ec2-instance-mapping';
import { findNewestImage } from './newest-image';
import { instanceTags, runInstance } from './run-instance';
import { ensureSshSecurityGroup } from './ssh-security-group';
import { terminateInstancesById } from './terminate-instances';

/**
 * EC2 instances. Known limit: EC2 reads are eventually consistent, so getInstance right after a create may
 * still answer null; the refresh reconciler and the reaper converge on the next pass.
 */
export function createAwsComputeProvider(config: AwsComputeConfig): ComputeProvider {
  const resolved = resolveAwsConfig(config);
  const client =
    config.client ??
    new EC2Client({ region: resolved.region, ...(config.credentials ? { credentials: config.credentials } : {}) });
  const options = { usePrivateIp: resolved.usePrivateIp ?? false };

  async function getInstance(id: string): Promise<ProviderInstance | null> {
    const current = pickCurrentInstance(await describeInstancesById(client, id));
    return current ? toProviderInstance(current, options) : null;
  }

  const autoscalingClients =
    config.autoscalingClients ?? createAwsAutoscalingClients(resolved.region, config.credentials);

  return {
    name: 'aws',
    autoscalingGroups: createAwsAutoscalingGroups(autoscalingClients, { client, usePrivateIp: options.usePrivateIp }),
    machineTypeOf: (requested) => ec2InstanceTypeOf(requested, resolved.instanceTypes),
    async createInstance(input: CreateInstanceInput) {
      try {
        const instance = await runInstance(client, resolved, input);
        // RunInstances does not always echo tags; the ones asked for are the ones the instance has.
        const tags = recordToTags({ ...tagsToRecord(instance.Tags), ...instanceTags(input) });
        return toProviderInstance({ ...instance, Tags: tags }, options) as ProviderInstance;
      } catch (error) {
        // Same ClientToken, different parameters (say a newer AMI resolved on retry): the first try's
        // instance exists, and it is the one this id stands for.
        if (error instanceof ProviderError && error.code === 'IdempotentParameterMismatch') {
          const existing = await getInstance(input.id);
          if (existing) return existing;
        }
        throw error;
      }
    },
    terminateInstance: (id) => terminateInstancesById(client, id),
    getInstance,
    async listInstances() {
      const instances = await describeAllOvercastInstances(client);
      return instances.flatMap((instance) => toProviderInstance(instance, options) ?? []);
    },
    ensureSshSecurityGroup: (name) => ensureSshSecurityGroup(client, resolved, name),
    findNewestImage: (role) => findNewestImage(client, role),
  };
}
