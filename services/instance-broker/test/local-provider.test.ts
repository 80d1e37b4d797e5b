import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AppError,
  createInstanceBuildRpc,
  createInstanceRpc,
  getInstanceBuildRpc,
  getInstanceRpc,
  readInstanceConsoleRpc,
  terminateInstanceRpc,
  type Instance,
} from '@overcast/contracts';
import { createLocalComputeProvider, createProviderRegistry, type LocalComputeProvider } from '@overcast/providers';
import { describeWithPostgres, waitFor } from '@overcast/test-kit';
import { createBrokerEnvironment, type BrokerEnvironment } from './support/broker-environment';
import { startInitScriptGateway } from './support/init-script-gateway';

describeWithPostgres('the local provider: real processes on loopback addresses', () => {
  let environment: BrokerEnvironment;
  let local: LocalComputeProvider;
  let gateway: Awaited<ReturnType<typeof startInitScriptGateway>>;
  const dataDir = mkdtempSync(join(tmpdir(), 'broker-local-'));

  beforeAll(async () => {
    environment = await createBrokerEnvironment();
    local = createLocalComputeProvider({
      name: 'local',
      dataDir,
      addressPrefix: '127.142',
      terminationGraceMs: 2_000,
      images: { default: { description: 'plain shell', roles: ['worker'] } },
    });
    gateway = await startInitScriptGateway(environment.client);
    await environment.startReplica({ providers: createProviderRegistry([local]) });
  });

  afterAll(async () => {
    await environment?.close();
    await gateway?.close();
    await local?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function instanceIn(tenantId: string, id: string, state: Instance['state']): Promise<Instance> {
    return waitFor(`instance ${id} ${state}`, async () => {
      const instance = await environment.client.call(getInstanceRpc, { tenantId, id });
      return instance.state === state && instance;
    });
  }

  it('creates a running process with its own 127.x address, then terminates it', async () => {
    const { client } = environment;
    const created = await client.call(createInstanceRpc, { tenantId: 't1', provider: 'local', image: 'default' });
    const running = await instanceIn('t1', created.id, 'running');
    expect(running.ipAddress).toMatch(/^127\.142\.\d+\.\d+$/);
    expect(Number(running.upstreamId)).toBeGreaterThan(0); // the boot agent's pid

    await client.call(terminateInstanceRpc, { tenantId: 't1', id: created.id });
    await instanceIn('t1', created.id, 'terminated');
    await waitFor('the process to exit', async () => (await local.getInstance(created.id))?.state === 'terminated');
  });

  it('boots an instance build that fetches its init script from the gateway with the build credentials and runs it', async () => {
    const { client } = environment;
    const build = await client.call(createInstanceBuildRpc, {
      tenantId: 't1',
      provider: 'local',
      site: 'org',
      env: 'staging',
      role: 'worker',
      queue: 'docker',
      instanceType: 'standard',
      count: 1,
      bootInstance: true,
      gatewayUrl: gateway.url,
    });
    const started = await waitFor('the build to start', async () => {
      const current = await client.call(getInstanceBuildRpc, { tenantId: 't1', id: build.id });
      return current.instanceIds.length === 1 && current;
    });
    expect(started.image).toBe('default'); // the provider's newest image for the role
    const instanceId = started.instanceIds[0] ?? '';
    await instanceIn('t1', instanceId, 'running');
    // Read through the broker's RPC, as the gateway does: the boot agent's lines and the script's output.
    const console = await waitFor('the init script output', async () => {
      const { text } = await client.call(readInstanceConsoleRpc, { tenantId: 't1', id: instanceId });
      return text.includes('booting worker for org/staging/docker') && text;
    });
    expect(console).not.toContain('x:'); // the credentials never reach the console
    const otherTenant = await client
      .call(readInstanceConsoleRpc, { tenantId: 't2', id: instanceId })
      .catch((thrown: unknown) => thrown);
    expect((otherTenant as AppError).code).toBe('not_found');
    await client.call(terminateInstanceRpc, { tenantId: 't1', id: instanceId });
    await instanceIn('t1', instanceId, 'terminated');
  });
});
