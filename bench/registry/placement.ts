import { randomUUID } from 'node:crypto';
import { createDeploymentConfigParser, type DeploymentConfig } from '@overcast/deployment-config';
import {
  indexOffers,
  noChanges,
  planDeployment,
  type DatacenterOffer,
  type DeploymentRecord,
  type Usage,
} from '@overcast/registry';
import { formatTargetCheck, targetCheck } from '../lib/targets';

// Knobs for one run.
const datacenterCount = Number(process.env.BENCH_DATACENTERS ?? 10_000);
const deploymentCount = Number(process.env.BENCH_DEPLOYMENTS ?? 1_000);
const targetMs = 5_000;
const regions = [
  'us-west',
  'us-east',
  'eu-west',
  'eu-north',
  'ap-south',
  'ap-east',
  'sa-east',
  'af-south',
  'me-central',
  'oc-south',
];
const lifetimes = ['short', 'medium', 'long'] as const;

/** A deterministic generator, so two runs place the same market. */
function seeded(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function market(random: () => number): DatacenterOffer[] {
  const now = new Date();
  return Array.from({ length: datacenterCount }, (_, i) => ({
    id: randomUUID(),
    name: `dc-${i}`,
    region: regions[i % regions.length] ?? 'us-west',
    state: 'up' as const,
    upSince: now,
    lastHeartbeatAt: now,
    profiles: Array.from({ length: 3 }, (__, p) => ({
      name: `p${p}`,
      cpu: 1 + Math.floor(random() * 8),
      memoryBytes: (1 + Math.floor(random() * 16)) * 1e9,
      lifetime: lifetimes[Math.floor(random() * 3)] ?? 'medium',
      price: Math.round(random() * 1000) / 100,
      capacity: 5 + Math.floor(random() * 50),
    })),
  }));
}

/** Two services over two datacenter entries in different regions, 1–4 nodes each. */
function deploymentFile(random: () => number): string {
  const region = () => regions[Math.floor(random() * regions.length)] ?? 'us-west';
  const nodes = () => 1 + Math.floor(random() * 4);
  return `version: "0.1"
services:
  web: { image: nginx }
  db: { image: postgres }
deployment:
  datacenters:
    first:
      region: ${region()}
      profiles:
        web: { qos: { cpu: ${1 + Math.floor(random() * 4)}, memory: ${1 + Math.floor(random() * 8)}GB, lifetime: medium }, pricing: { max-price: 8 } }
    second:
      region: ${region()}
      profiles:
        db: { qos: { cpu: 2, memory: 4GB, lifetime: long } }
  services:
    web: { first: { profile: web, nodes: ${nodes()} } }
    db: { second: { profile: db, nodes: ${nodes()} } }
`;
}

/**
 * The ceiling: one pass per datacenter entry over its region's datacenters that reads every profile and keeps
 * the cheapest, no qos, capacity or spread rules: the least any placement that looks at each candidate costs.
 */
function ceilingPass(offers: DatacenterOffer[], configs: DeploymentConfig[]): number {
  const byRegion = new Map<string, DatacenterOffer[]>();
  for (const offer of offers) {
    const list = byRegion.get(offer.region) ?? [];
    list.push(offer);
    byRegion.set(offer.region, list);
  }
  let cheapestSum = 0;
  for (const config of configs) {
    for (const entry of Object.values(config.deployment.datacenters)) {
      let cheapest = Infinity;
      for (const offer of byRegion.get(entry.region) ?? []) {
        for (const profile of offer.profiles) cheapest = Math.min(cheapest, profile.price);
      }
      cheapestSum += cheapest;
    }
  }
  return cheapestSum;
}

async function main(): Promise<void> {
  const random = seeded(15);
  const offers = market(random);
  const parser = createDeploymentConfigParser();
  const configs: DeploymentConfig[] = [];
  try {
    for (let i = 0; i < deploymentCount; i += 1) {
      const result = await parser.parse(deploymentFile(random), { source: `deployment-${i}.yml` });
      if (!result.ok) throw new Error(`generated file ${i} is invalid: ${JSON.stringify(result.errors)}`);
      configs.push(result.config);
    }
  } finally {
    await parser.close();
  }
  console.log(
    `placement benchmark: ${deploymentCount} deployments (2 services, 2 datacenter entries each) over ${datacenterCount} datacenters in ${regions.length} regions`,
  );

  const ceilingStarted = performance.now();
  ceilingPass(offers, configs);
  const ceilingMs = performance.now() - ceilingStarted;

  const started = performance.now();
  const index = indexOffers(offers);
  const usage: Usage = new Map();
  const changes = noChanges();
  const settings = { now: new Date(), failbackAfterMs: 10_000, newId: randomUUID };
  for (const config of configs) {
    const deployment: DeploymentRecord = {
      id: randomUUID(),
      tenantId: 'bench',
      config,
      state: 'deploying',
      version: 1,
      placements: [],
      nodes: [],
    };
    planDeployment(deployment, index, usage, settings, changes);
  }
  const placementMs = performance.now() - started;
  const placed = changes.placements.filter((p) => p.datacenterId !== null).length;
  const failures = changes.events.filter((e) => e.type === 'deploy.failure').length;
  console.log(`  ceiling (cheapest profile per entry, no rules)  ${ceilingMs.toFixed(1).padStart(8)} ms`);
  console.log(`  placement (planDeployment for each)            ${placementMs.toFixed(1).padStart(8)} ms`);
  console.log(`  entries placed ${placed}, unplaceable ${failures}, nodes ${changes.createdNodes.length}`);
  console.log(
    `\n${formatTargetCheck(targetCheck('placement of all deployments (ms)', placementMs, targetMs, 'at-most'))}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
