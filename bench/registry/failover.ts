import { randomBytes, generateKeyPairSync } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createDatacenterRpc,
  createDeploymentRpc,
  getDatacenterRpc,
  getDeploymentRpc,
  type Deployment,
} from '@overcast/contracts';
import { createDatacenterAgent, nodeCatalogImages, type DatacenterAgent } from '@overcast/datacenter-agent';
import { connectDatabase, migrateDatabase } from '@overcast/db';
import { createMemoryBus } from '@overcast/messaging';
import { createFakeComputeProvider } from '@overcast/providers';
import { createRegistryService, parseRegistrySettings, registryMigrationsDir } from '@overcast/registry';
import { createTestDatabase } from '@overcast/test-kit';
import { formatTargetCheck, targetCheck } from '../lib/targets';

// Knobs for one run: the heartbeat interval agents and registry share, and how many nodes the deployment has.
const heartbeatIntervalMs = Number(process.env.BENCH_HEARTBEAT_INTERVAL_MS ?? 1_000);
const nodes = Number(process.env.BENCH_NODES ?? 20);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const reconcileIntervalMs = Number(process.env.BENCH_RECONCILE_INTERVAL_MS ?? 250);
const targetMs = 2 * heartbeatIntervalMs + 1_000;
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const tenantId = 'bench';

/** The middle value (the heartbeat interval as the timers ran, follow-up heartbeats aside). */
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/**
 * Failover, end to end: the real registry (its reconcile job on its own interval, its mutual-TLS agent endpoint) and
 * two real agents heartbeating on their own timers with fake providers (instant boot, so the figure is the
 * control plane's). Timed: from the first datacenter's last answered heartbeat to every node of the deployment
 * running on the second.
 */
async function main(): Promise<void> {
  const testDatabase = await createTestDatabase();
  await migrateDatabase({ url: testDatabase.url, schema: 'registry', migrationsDir: registryMigrationsDir });
  const database = await connectDatabase({ url: testDatabase.url, schema: 'registry', maxConnections: 5 });
  const bus = createMemoryBus();
  await bus.start();
  const registry = createRegistryService({
    settings: parseRegistrySettings({
      OVERCAST_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      RECONCILE_INTERVAL_MS: String(reconcileIntervalMs),
      HEARTBEAT_INTERVAL_MS: String(heartbeatIntervalMs),
      HEARTBEAT_MISSED_LIMIT: '2',
      // No failback inside a round: the figure is the failover alone.
      FAILBACK_AFTER_MS: '3600000',
      AGENT_PORT: '0',
    }),
    database,
    bus,
    logger: silent,
  });
  await registry.start();
  const agents: DatacenterAgent[] = [];
  const results: number[] = [];
  // Each heartbeat starts by listing the provider's instances: when they started, per agent.
  const heartbeatTimes: number[][] = [];
  try {
    for (let round = 0; round < rounds; round += 1) {
      const region = `bench-${round}`;
      const timedProvider = () => {
        const provider = createFakeComputeProvider({ latencyMs: 0, bootMs: 0, images: nodeCatalogImages() });
        const times: number[] = [];
        heartbeatTimes.push(times);
        const listInstances = provider.listInstances.bind(provider);
        provider.listInstances = () => {
          times.push(performance.now());
          return listInstances();
        };
        return provider;
      };
      const startAgent = async (name: string, price: number) => {
        const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        const issued = await bus.call(createDatacenterRpc, {
          tenantId,
          name: `${name}-${round}`,
          region,
          endpoint: 'bench',
          key: { publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
          profiles: [{ name: 'p', cpu: 4, memoryBytes: 8e9, lifetime: 'medium', price, capacity: nodes }],
        });
        const agent = createDatacenterAgent({
          settings: {
            registryAddress: `127.0.0.1:${registry.agentPort() ?? 0}`,
            credentials: {
              certificate: issued.certificate,
              privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
              caBundle: issued.caBundle,
            },
            heartbeatIntervalMs,
            profiles: [],
          },
          provider: timedProvider(),
          logger: silent,
        });
        agents.push(agent);
        await agent.start();
        return { agent, id: issued.datacenter.id };
      };
      const first = await startAgent('first', 1);
      const second = await startAgent('second', 2);
      const source = `version: "0.1"
services:
  web: { image: hello-web }
deployment:
  datacenters:
    entry:
      region: ${region}
      profiles:
        p: { qos: { cpu: 1, memory: 1GB, lifetime: medium } }
  services:
    web:
      entry: { profile: p, nodes: ${nodes} }
`;
      const { id } = await bus.call(createDeploymentRpc, { tenantId, source });
      const placement = async () => ((await bus.call(getDeploymentRpc, { tenantId, id })) as Deployment).services[0];
      while ((await placement())?.running !== nodes) await sleep(50);
      if ((await placement())?.datacenterId !== first.id) throw new Error('placed on the wrong datacenter');

      // Its last heartbeat answered, then it stops answering (its agent is gone, as a datacenter that fails).
      await first.agent.heartbeatNow();
      const lastHeartbeatAt = performance.now();
      await first.agent.stop();
      let downAt: number | undefined;
      for (;;) {
        const now = await placement();
        if (now?.datacenterId === second.id && now.running === nodes) break;
        if (downAt === undefined && (await bus.call(getDatacenterRpc, { tenantId, id: first.id })).state === 'down')
          downAt = performance.now();
        await sleep(20);
      }
      const elapsed = performance.now() - lastHeartbeatAt;
      results.push(elapsed);
      const detected = (downAt ?? performance.now()) - lastHeartbeatAt;
      process.stdout.write(
        `round ${round + 1}: ${nodes} nodes running elsewhere ${Math.round(elapsed)} ms after the last heartbeat ` +
          `(seen down at ${Math.round(detected)} ms, running ${Math.round(elapsed - detected)} ms later)\n`,
      );
    }
  } finally {
    for (const agent of agents) await agent.stop();
    await registry.stop();
    await bus.stop();
    await database.close();
    await testDatabase.drop();
  }
  const worst = Math.max(...results);
  // Gaps under half an interval are follow-up or signalled heartbeats, not the timer's.
  const gaps = heartbeatTimes.flatMap((times) => times.slice(1).map((time, index) => time - (times[index] ?? time)));
  const interval = median(gaps.filter((gap) => gap >= heartbeatIntervalMs / 2));
  process.stdout.write(
    `heartbeat interval as it ran: ${Math.round(interval)} ms (median of ${gaps.length} gaps; set ${heartbeatIntervalMs} ms); ` +
      `the floor, 2 missed intervals: ${Math.round(2 * interval)} ms; worst failover: ${Math.round(worst)} ms = ` +
      `${(worst / interval).toFixed(2)} intervals\n`,
  );
  process.stdout.write(
    `${formatTargetCheck(targetCheck(`failover, worst of ${rounds} (heartbeat ${heartbeatIntervalMs} ms, reconcile ${reconcileIntervalMs} ms)`, worst, targetMs, 'at-most'))}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
