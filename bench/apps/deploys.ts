import path from 'node:path';
import { measureAlternating, medianRatio, requireResult } from '../lib/alternating-rounds';
import { startBenchEnvironment } from '../lib/bench-environment';
import { formatCosts } from '../lib/costs';
import { formatLoad, formatStatusCounts } from '../lib/http-load';
import { formatLatencies, percentile } from '../lib/percentiles';
import { formatTargetCheck, targetCheck, type TargetCheck } from '../lib/targets';
import { sendAtFixedRate } from './at-fixed-rate';
import { deployWatchQueue, startDeployWatcher, type DeployWatcher } from './deploy-watcher';

// Bounded so the whole run stays near two minutes on the shared 2-core machine.
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const secondsPerRun = Number(process.env.BENCH_SECONDS ?? 5);
// Under the app manager's measured capacity on this host (7–12 deploys/s at load 20), so the latency is the
// pipeline's and not a queue's.
const pacedRate = Number(process.env.BENCH_DEPLOY_RATE ?? 10);
const pacedSeconds = Number(process.env.BENCH_DEPLOY_SECONDS ?? 6);
const connections = 50;
const district = 'bench';

/** Barcelona's app body: one public web service behind a load balancer, on the fake provider's district. */
const appBody = (name: string) =>
  JSON.stringify({
    name,
    image_name: 'hello-web',
    image_tag: 'latest',
    services: [{ name: 'web', public: true, scale: 1, port_mappings: [{ lb_port: 80, container_port: 8080 }] }],
  });

const report = (error: unknown) => console.log(`  ${String(error)}`);

type Environment = Awaited<ReturnType<typeof startBenchEnvironment>>;
interface Context {
  environment: Environment;
  watcher: DeployWatcher;
  headers: Record<string, string>;
  checks: TargetCheck[];
}

async function createDistrict(environment: Environment): Promise<void> {
  const response = await fetch(`${environment.gateway.url}/districts`, {
    method: 'POST',
    headers: { authorization: `token ${environment.gateway.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: district, provider: 'fake' }),
  });
  if (response.status !== 200) throw new Error(`POST /districts: ${response.status} ${await response.text()}`);
}

/**
 * POST → all services active at a fixed, moderate rate (the pipeline, not a queue), beside its floor in the same
 * run: a GET of one of those apps at the same rate, the shortest round trip through the same gateway, bus, app
 * manager and database.
 */
async function pacedDeploys(context: Context, prefix: string): Promise<void> {
  const { environment, watcher, headers } = context;
  const url = `${environment.gateway.url}/districts/${district}/apps`;
  const send = (name: (index: number) => string, seconds: number) =>
    sendAtFixedRate({
      rate: pacedRate,
      seconds,
      request: (index) => ({ url, init: { method: 'POST', headers, body: appBody(name(index)) } }),
    });
  // Warm-up at the same rate: lazy pool connections and first queries are not the pipeline's steady latency.
  const beforeWarmup = watcher.doneAt.size;
  const warmup = await send((index) => `${prefix}w${index}`, 2);
  await watcher.waitForDoneCount(beforeWarmup + warmup.samples.length, 60_000).catch(report);
  const before = watcher.doneAt.size;
  const paced = await environment.meter(async () => {
    const outcome = await send((index) => `${prefix}p${index}`, pacedSeconds);
    await watcher.waitForDoneCount(before + outcome.samples.length, 60_000).catch(report);
    return outcome;
  });
  const { samples, failures } = paced.result;
  if (failures.length > 0) console.log(`  ${failures.length} POSTs failed, the first: ${failures[0]}`);
  const doneAt = (index: number) => watcher.doneAt.get(`${prefix}p${index}`);
  const toActive = samples.flatMap((sample) => {
    const done = doneAt(sample.index);
    return done === undefined ? [] : [done - sample.sentAt];
  });
  const reads = await sendAtFixedRate({
    rate: pacedRate,
    seconds: pacedSeconds,
    request: (index) => ({
      url: `${environment.gateway.url}/apps/${prefix}p${index % samples.length}`,
      init: { headers: { authorization: headers.authorization ?? '' } },
    }),
  });
  const readLatencies = reads.samples.map((sample) => sample.answeredAt - sample.sentAt);
  console.log(`POST → all services active at ${pacedRate}/s for ${pacedSeconds} s: ${formatLatencies(toActive)}`);
  console.log(
    `  of which POST → 200:                      ${formatLatencies(samples.map((s) => s.answeredAt - s.sentAt))}`,
  );
  console.log(`  per deploy, POST to active: ${formatCosts(paced.costs, samples.length)}`);
  console.log(`floor, same run and rate: GET /apps/{name}:    ${formatLatencies(readLatencies)}`);
  context.checks.push(
    targetCheck('POST → all services active p99 (ms)', percentile(toActive, 0.99), 500, 'at-most'),
    targetCheck(
      'paced deploys refused or never active',
      failures.length + samples.length - toActive.length,
      0,
      'at-most',
    ),
    targetCheck('failed reads of the floor', reads.failures.length, 0, 'at-most'),
  );
}

async function appsIn(context: Context): Promise<number> {
  const response = await fetch(`${context.environment.gateway.url}/districts/${district}/apps`, {
    headers: { authorization: context.headers.authorization ?? '' },
  });
  if (response.status !== 200) throw new Error(`GET /districts/${district}/apps: ${response.status}`);
  return ((await response.json()) as { apps: unknown[] }).apps.length;
}

/** Deploys accepted as fast as the gateway takes them, alternating with the machine's ceiling in the same run. */
async function flatOutDeploys(context: Context, prefix: string): Promise<void> {
  const { environment, watcher, headers } = context;
  const before = watcher.doneAt.size;
  let sequence = 0;
  const label = `POST /districts/{d}/apps (${connections} connections)`;
  const ceilingLabel = 'express + one pg SELECT';
  console.log('');
  const results = await measureAlternating(
    [
      { label: ceilingLabel, load: { url: environment.ceilings.pg, connections } },
      {
        label,
        load: {
          url: `${environment.gateway.url}/districts/${district}/apps`,
          headers,
          connections,
          request: {
            method: 'POST',
            body: appBody(`${prefix}f0`),
            setup: (request) => ({ ...request, body: appBody(`${prefix}f${(sequence += 1)}`) }),
          },
        },
      },
    ],
    { rounds, secondsPerRun, warmupSeconds: 2, log: console.log, meter: environment.meter },
  );
  const ceiling = requireResult(results, ceilingLabel);
  const deploys = requireResult(results, label);
  console.log(formatLoad(ceilingLabel, ceiling));
  console.log(formatLoad(label, deploys, ceiling));
  if (deploys.costs) console.log(`  per deploy accepted: ${formatCosts(deploys.costs, deploys.total)}`);
  console.log(`  median of rounds: ${Math.round(medianRatio(deploys, ceiling) * 100)}% of the ceiling's requests/s`);
  const all = [deploys, ...deploys.rounds];
  const accepted = deploys.rounds.reduce((sum, run) => sum + (run.statusCounts[200] ?? 0), 0);
  const refused = deploys.rounds.reduce((sum, run) => sum + run.total - (run.statusCounts[200] ?? 0) + run.errors, 0);
  if (refused > 0) console.log(`  answers: ${all.slice(1).map(formatStatusCounts).join(' | ')}`);
  const drainStarted = performance.now();
  // Every app the district holds (the warm-up's and the paced phase's too) must reach active.
  const created = await appsIn(context);
  await watcher.waitForDoneCount(created, 180_000).catch(report);
  console.log(
    `  ${watcher.doneAt.size - before} deploys of this phase reached all services active (${accepted} accepted in ` +
      `the measured rounds), the last ${((performance.now() - drainStarted) / 1000).toFixed(1)} s after the load stopped`,
  );
  context.checks.push(
    targetCheck('deploys accepted per second (median round)', deploys.requestsPerSecond, 200, 'at-least'),
    targetCheck('refused or failed deploys', refused + watcher.notDone.size, 0, 'at-most'),
  );
}

async function main(): Promise<void> {
  const environment = await startBenchEnvironment({
    ownQueues: [deployWatchQueue],
    services: [{ service: 'app-manager', script: path.join(__dirname, 'app-manager-process.ts') }],
  });
  const headers = { authorization: `token ${environment.gateway.token}`, 'content-type': 'application/json' };
  const watcher = await startDeployWatcher(environment.amqpUrl, environment.namespace);
  console.log('apps benchmark: real gateway → RabbitMQ → app manager → fake container platform (zero latency)');
  console.log(
    '  a deploy of one web service behind a load balancer; active = the app.deployed event with outcome done\n',
  );
  const context: Context = { environment, watcher, headers, checks: [] };
  try {
    await createDistrict(environment);
    await pacedDeploys(context, 'a');
    await flatOutDeploys(context, 'a');
    console.log('');
    for (const check of context.checks) console.log(formatTargetCheck(check));
    if (context.checks.some((check) => !check.met)) process.exitCode = 1;
  } finally {
    await watcher.stop();
    await environment.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
