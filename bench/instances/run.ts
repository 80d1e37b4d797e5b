import { measureAlternating, medianRatio, requireResult } from '../lib/alternating-rounds';
import { startBenchEnvironment } from '../lib/bench-environment';
import { formatLoad, formatStatusCounts, runLoad } from '../lib/http-load';
import { formatLatencies, percentile } from '../lib/percentiles';
import { formatCosts } from '../lib/costs';
import { formatTargetCheck, targetCheck } from '../lib/targets';
import type { TargetCheck } from '../lib/targets';
import { createAtFixedRate } from './create-at-fixed-rate';
import { startStateWatcher, watchQueue } from './state-watcher';

// Bounded so the whole run stays under two minutes on the shared 2-core machine.
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const secondsPerRun = Number(process.env.BENCH_SECONDS ?? 5);
const latencyRate = Number(process.env.BENCH_CREATE_RATE ?? 50);
const latencySeconds = Number(process.env.BENCH_CREATE_SECONDS ?? 6);
const connections = 50;
// BENCH_PHASES=paced,flat,reads (all by default) runs only those phases, e.g. `reads` while working on the read path.
const phases = new Set((process.env.BENCH_PHASES ?? 'paced,flat,reads').split(','));
const createBody = JSON.stringify({ provider: 'fake', image: 'debian-12', env: 'bench' });

type Environment = Awaited<ReturnType<typeof startBenchEnvironment>>;
type Watcher = Awaited<ReturnType<typeof startStateWatcher>>;
interface Context {
  environment: Environment;
  watcher: Watcher;
  headers: Record<string, string>;
  /** Instances that exist and are running, for the reads. */
  ids: string[];
  checks: TargetCheck[];
}

/** (b) first, on a quiet system: a fixed, moderate rate measures the pipeline, not a queue. */
async function pacedCreates(context: Context): Promise<void> {
  const { environment, watcher, headers } = context;
  // Warm-up at the same rate: a cold broker's first second (lazy pool connections, first queries) is not the pipeline's steady latency.
  const beforeWarmup = watcher.runningAt.size;
  const warmup = await createAtFixedRate({
    url: `${environment.gateway.url}/instances`,
    headers,
    body: createBody,
    rate: latencyRate,
    seconds: 2,
  });
  await watcher.waitForRunningCount(beforeWarmup + warmup.samples.length, 60_000);
  const before = watcher.runningAt.size;
  const paced = await environment.meter(async () => {
    const outcome = await createAtFixedRate({
      url: `${environment.gateway.url}/instances`,
      headers,
      body: createBody,
      rate: latencyRate,
      seconds: latencySeconds,
    });
    if (outcome.failures.length > 0)
      throw new Error(`${outcome.failures.length} creates failed, first: ${outcome.failures[0]}`);
    await watcher.waitForRunningCount(before + outcome.samples.length, 60_000);
    return outcome;
  });
  const { samples } = paced.result;
  const toRunning = samples.map((sample) => (watcher.runningAt.get(sample.id) ?? Number.NaN) - sample.sentAt);
  const accepted = samples.map((sample) => sample.acceptedAt - sample.sentAt);
  const afterAccepted = samples.map((sample) => (watcher.runningAt.get(sample.id) ?? Number.NaN) - sample.acceptedAt);
  console.log(`POST → running at ${latencyRate}/s for ${latencySeconds} s:   ${formatLatencies(toRunning)}`);
  console.log(`  of which POST → 200:               ${formatLatencies(accepted)}`);
  console.log(`  and 200 → running event:           ${formatLatencies(afterAccepted)}`);
  console.log(`  per instance, create to running: ${formatCosts(paced.costs, samples.length)}`);
  context.ids.push(...samples.map((sample) => sample.id));
  context.checks.push(targetCheck('POST → running p99 (ms)', percentile(toRunning, 0.99), 250, 'at-most'));
}

/** (a) as fast as the gateway accepts; provisioning catches up afterwards (timed, so it is seen too). */
async function flatOutCreates(context: Context): Promise<void> {
  const { environment, watcher, headers } = context;
  const before = watcher.runningAt.size;
  const flat = await environment.meter(() =>
    runLoad({
      url: `${environment.gateway.url}/instances`,
      headers,
      connections,
      durationSeconds: secondsPerRun,
      request: { method: 'POST', body: createBody },
    }),
  );
  const creates = flat.result;
  const created = creates.statusCounts[200] ?? 0;
  console.log(formatLoad(`POST /instances (${connections} connections)`, creates));
  console.log(`  per create accepted (provisioning runs meanwhile): ${formatCosts(flat.costs, created)}`);
  if (created !== creates.total) console.log(`  answers: ${formatStatusCounts(creates)}`);
  const drainStarted = performance.now();
  await watcher.waitForRunningCount(before + created, 120_000);
  const drainSeconds = (performance.now() - drainStarted) / 1000;
  console.log(`  all ${created} reached running ${drainSeconds.toFixed(1)} s after the load stopped`);
  context.checks.push(
    targetCheck('creates accepted per second', creates.requestsPerSecond, 500, 'at-least'),
    targetCheck('failed creates', creates.total - created + creates.errors, 0, 'at-most'),
  );
}

/** (c) reads of instances that exist, alternating with the ceiling. */
async function reads(context: Context): Promise<void> {
  const { environment, headers } = context;
  if (context.ids.length === 0) {
    const outcome = await createAtFixedRate({
      url: `${environment.gateway.url}/instances`,
      headers,
      body: createBody,
      rate: 100,
      seconds: 3,
    });
    context.ids.push(...outcome.samples.map((sample) => sample.id));
  }
  const { ids } = context;
  const pickPath = () => `/instances/${ids[Math.floor(Math.random() * ids.length)] ?? ''}`;
  console.log('');
  const results = await measureAlternating(
    [
      { label: 'express + one pg SELECT', load: { url: environment.ceilings.pg, connections } },
      {
        label: 'gateway GET /instances/{id}',
        load: {
          url: `${environment.gateway.url}/instances`,
          headers: { authorization: headers.authorization ?? '' },
          connections,
          request: { setup: (request) => ({ ...request, path: pickPath() }) },
        },
      },
    ],
    { rounds, secondsPerRun, warmupSeconds: 2, log: console.log, meter: environment.meter },
  );
  const pg = requireResult(results, 'express + one pg SELECT');
  const get = requireResult(results, 'gateway GET /instances/{id}');
  console.log('');
  for (const [label, result, ceiling] of [
    ['express + one pg SELECT', pg, undefined],
    ['gateway GET /instances/{id}', get, pg],
  ] as const) {
    console.log(formatLoad(label, result, ceiling));
    if (result.costs) console.log(`  ${formatCosts(result.costs, result.total)}`);
  }
  context.checks.push(
    targetCheck('GET /instances/{id} vs express + pg (median of rounds)', medianRatio(get, pg), 0.4, 'ratio'),
    targetCheck('failed reads', get.non2xx + get.errors, 0, 'at-most'),
  );
}

async function main(): Promise<void> {
  const environment = await startBenchEnvironment({ ownQueues: [watchQueue] });
  const headers = { authorization: `token ${environment.gateway.token}`, 'content-type': 'application/json' };
  const watcher = await startStateWatcher(environment.amqpUrl, environment.namespace);
  console.log(
    'instances benchmark: real gateway → RabbitMQ → instance broker → fake provider (zero latency, instant boot)',
  );
  console.log(`  running = the instance.state_changed event with to=running, received by a subscriber on the bus\n`);
  const context: Context = { environment, watcher, headers, ids: [], checks: [] };
  try {
    if (phases.has('paced')) await pacedCreates(context);
    if (phases.has('flat')) await flatOutCreates(context);
    if (phases.has('reads')) await reads(context);
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
