import { setTimeout as sleep } from 'node:timers/promises';
import { getDatacenterRpc } from '@overcast/contracts';
import { createFakeComputeProvider, type FakeComputeProvider } from '@overcast/providers';
import { createDatacenterAgent, nodeCatalogImages, type DatacenterAgent } from '../src';
import { startRegistryWorld, tenantId, type RegisteredDatacenter, type RegistryWorld } from './support/registry-world';

const silent = { info: () => undefined, warn: () => undefined };
const heartbeatIntervalMs = 200;

describe('the datacenter agent against the real registry, over mutual TLS', () => {
  let world: RegistryWorld;
  const agents: DatacenterAgent[] = [];

  beforeAll(async () => {
    world = await startRegistryWorld({
      HEARTBEAT_INTERVAL_MS: String(heartbeatIntervalMs),
      HEARTBEAT_MISSED_LIMIT: '2',
      FAILBACK_AFTER_MS: '300',
    });
  });
  afterAll(async () => {
    for (const agent of agents) await agent.stop();
    await world.close();
  });

  function startAgent(
    datacenter: RegisteredDatacenter,
    provider: FakeComputeProvider,
    price?: number,
    intervalMs = heartbeatIntervalMs,
  ) {
    const agent = createDatacenterAgent({
      settings: {
        registryAddress: world.agentAddress(),
        credentials: datacenter,
        heartbeatIntervalMs: intervalMs,
        profiles:
          price === undefined
            ? []
            : [{ name: 'standard', cpu: 2, memoryBytes: 4e9, lifetime: 'medium', price, capacity: 10 }],
      },
      provider,
      logger: silent,
    });
    agents.push(agent);
    return agent;
  }
  const fakeProvider = () => createFakeComputeProvider({ latencyMs: 0, bootMs: 0, images: nodeCatalogImages() });
  const runningOn = async (deploymentId: string) => (await world.deployment(deploymentId)).services[0];

  it('runs the nodes placed on its datacenter and reports them running with their endpoints', async () => {
    const datacenter = await world.registerDatacenter('solo', 1, 'eu-north');
    const provider = fakeProvider();
    const agent = startAgent(datacenter, provider);
    const deploymentId = await world.deploy(2, 'eu-north');
    await agent.heartbeatNow(); // learns its nodes and starts them
    expect((await provider.listInstances()).map((instance) => instance.tags.deployment)).toEqual([
      deploymentId,
      deploymentId,
    ]);
    await agent.heartbeatNow(); // reports them running
    const placement = await runningOn(deploymentId);
    expect(placement).toMatchObject({ datacenterId: datacenter.id, desired: 2, running: 2 });
    expect(placement?.endpoints).toHaveLength(2);
  });

  it('runs nodes placed on it at once, on the registry’s signal, not at its next heartbeat a minute later', async () => {
    const datacenter = await world.registerDatacenter('signalled', 1, 'me-central');
    const provider = fakeProvider();
    const agent = startAgent(datacenter, provider, undefined, 60_000);
    await agent.start();
    const deploymentId = await world.deploy(2, 'me-central');
    const deadline = Date.now() + 5_000;
    while ((await runningOn(deploymentId))?.running !== 2 && Date.now() < deadline) await sleep(50);
    expect(await runningOn(deploymentId)).toMatchObject({ datacenterId: datacenter.id, running: 2 });
    expect(await provider.listInstances()).toHaveLength(2);
  });

  it('advertises its profiles (capacity and price) on each heartbeat', async () => {
    const datacenter = await world.registerDatacenter('advertiser', 3, 'ap-south');
    await startAgent(datacenter, fakeProvider(), 0.25).heartbeatNow();
    const seen = await world.bus.call(getDatacenterRpc, { tenantId, id: datacenter.id });
    expect(seen.profiles).toEqual([expect.objectContaining({ name: 'standard', price: 0.25 })]);
  });

  it('fails over when its agent stops, and fails back once it returns, never below the desired count', async () => {
    const first = await world.registerDatacenter('first', 1);
    const second = await world.registerDatacenter('second', 2);
    const firstProvider = fakeProvider();
    const secondProvider = fakeProvider();
    const firstAgent = startAgent(first, firstProvider);
    const secondAgent = startAgent(second, secondProvider);
    const deploymentId = await world.deploy(2);
    const beat = async () => {
      await Promise.all([firstAgent, secondAgent].map((agent) => agent.heartbeatNow().catch(() => undefined)));
    };
    await beat();
    // A pass (another datacenter's missed-heartbeat timer) may have seen both down before their agents' first
    // heartbeat, on a slow host: the entry is placed again by the next pass, once they are up.
    await world.registry.reconcileNow();
    await beat();
    await beat();
    expect(await runningOn(deploymentId)).toMatchObject({ datacenterId: first.id, running: 2 });

    // The first datacenter's agent stops answering: after 2 missed heartbeats its nodes are placed on the second.
    await firstAgent.stop();
    await sleep(heartbeatIntervalMs * 2 + 100);
    await secondAgent.heartbeatNow();
    await world.registry.reconcileNow();
    await secondAgent.heartbeatNow();
    await secondAgent.heartbeatNow();
    expect(await runningOn(deploymentId)).toMatchObject({ datacenterId: second.id, running: 2 });

    // It comes back (a new agent process, the same certificate) and stays up: the nodes move back.
    const returned = startAgent(first, firstProvider);
    const lowest: number[] = [];
    const step = async () => {
      await Promise.all([returned.heartbeatNow(), secondAgent.heartbeatNow()]);
      await world.registry.reconcileNow();
      lowest.push((await runningOn(deploymentId))?.running ?? 0);
    };
    for (let round = 0; round < 8 && (await runningOn(deploymentId))?.datacenterId !== first.id; round += 1) {
      await step();
      await sleep(100);
    }
    await step();
    await step();
    expect(await runningOn(deploymentId)).toMatchObject({ datacenterId: first.id, running: 2 });
    expect(Math.min(...lowest)).toBeGreaterThanOrEqual(2);
    await secondAgent.heartbeatNow(); // learns its nodes are no longer placed there, and stops them
    expect((await secondProvider.listInstances()).filter((instance) => instance.state === 'running')).toEqual([]);
  });
});
