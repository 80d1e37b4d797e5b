import { createInstanceBuildRpc, getInstanceBuildRpc, getInstanceRpc } from '@overcast/contracts';
import { waitFor } from '@overcast/test-kit';
import type { BrokerEnvironment } from './broker-environment';

/** A started instance build in pudding's worker shape (`worky` on com/prod) and its one instance, once running. */
export async function runningBuildInstance(
  client: BrokerEnvironment['client'],
  tenantId: string,
  options: { provider?: string; queue?: string } = {},
) {
  const build = await client.call(createInstanceBuildRpc, {
    tenantId,
    provider: options.provider ?? 'aws',
    site: 'com',
    env: 'prod',
    role: 'worky',
    queue: options.queue ?? 'fancy',
    instanceType: 'standard',
    count: 1,
    image: 'standard-image',
    bootInstance: true,
    gatewayUrl: 'https://overcast.example',
  });
  const instance = await waitFor('the build’s instance to run', async () => {
    const [id] = (await client.call(getInstanceBuildRpc, { tenantId, id: build.id })).instanceIds;
    const read = id === undefined ? undefined : await client.call(getInstanceRpc, { tenantId, id });
    return read?.state === 'running' && read;
  });
  return { build, instance };
}
