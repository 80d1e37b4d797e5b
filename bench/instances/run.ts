import { measureAlternating, requireResult } from '../lib/alternating-rounds';
import { startBenchEnvironment } from '../lib/bench-environment';
import { formatLoad, formatStatusCounts, runLoad } from '../lib/http-load';
import { formatLatencies, percentile } from '../lib/percentiles';
import { formatCosts } from '../lib/costs';
import { formatTargetCheck, targetCheck } from '../lib/targets';
import { createAtFixedRate } from './create-at-fixed-rate';
import { startStateWatcher, watchQueue } from './state-watcher';

// Bounded so the whole run stays under two minutes on the shared 2-core machine.
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const secondsPerRun = Number(process.env.BENCH_SECONDS ?? 5);
const latencyRate = Number(process.env.BENCH_CREATE_RATE ?? 50);
const latencySeconds = Number(process.env.BENCH_CREATE_SECONDS ?? 6);
const connections = 50;
const createBody = JSON.stringify({ provider: 'fake', image: 'debian-12', env: 'bench' });

async function main(): Promise<void> {
  const environment = await startBenchEnvironment({ ownQueues: [watchQueue] });
  const { gateway, ceilings } = environment;
  const headers = { authorization: `token ${gateway.token}`, 'content-type': 'application/json' };
  const watcher = await startStateWatcher(environment.amqpUrl, environment.namespace);
  console.log('instances benchmark: real gateway → RabbitMQ → instance broker → fake provider (zero latency, instant boot)');
  console.log(`  running = the instance.state_changed event with to=running, received by a subscriber on the bus\n`);
  try {
    // (b) first, on a quiet system: a fixed, moderate rate measures the pipeline, not a queue.
    const paced = await environment.meter(async () => {
      const outcome = await createAtFixedRate({ url: `${gateway.url}/instances`, headers, body: createBody, rate: latencyRate, seconds: latencySeconds });
      if (outcome.failures.length > 0) throw new Error(`${outcome.failures.length} creates failed, first: ${outcome.failures[0]}`);
      await watcher.waitForRunningCount(outcome.samples.length, 60_000);
      return outcome;
    });
    const { samples } = paced.result;
    const toRunning = samples.map((sample) => (watcher.runningAt.get(sample.id) ?? Number.NaN) - sample.sentAt);
    const accepted = samples.map((sample) => sample.acceptedAt - sample.sentAt);
    const afterAccepted = samples.map((sample) => (watcher.runningAt.get(sample.id) ?? Number.NaN) - sample.acceptedAt);
    console.log(`POST → running at ${latencyRate}/s for ${latencySeconds} s:   ${formatLatencies(toRunning)}`);
    console.log(`  of which POST → 201:               ${formatLatencies(accepted)}`);
    console.log(`  and 201 → running event:           ${formatLatencies(afterAccepted)}`);
    console.log(`  per instance, create to running: ${formatCosts(paced.costs, samples.length)}`);

    // (a) as fast as the gateway accepts; provisioning catches up afterwards (timed, so it is seen too).
    const flat = await environment.meter(() =>
      runLoad({ url: `${gateway.url}/instances`, headers, connections, durationSeconds: secondsPerRun, request: { method: 'POST', body: createBody } }),
    );
    const creates = flat.result;
    const created = creates.statusCounts[201] ?? 0;
    console.log(formatLoad(`POST /instances (${connections} connections)`, creates));
    console.log(`  per create accepted (provisioning runs meanwhile): ${formatCosts(flat.costs, created)}`);
    if (created !== creates.total) console.log(`  answers: ${formatStatusCounts(creates)}`);
    const drainStarted = performance.now();
    await watcher.waitForRunningCount(samples.length + created, 120_000);
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    console.log(`  all ${created} reached running ${drainSeconds.toFixed(1)} s after the load stopped`);

    // (c) reads of instances that exist, alternating with the ceiling.
    const ids = samples.map((sample) => sample.id);
    const pickPath = () => `/instances/${ids[Math.floor(Math.random() * ids.length)] ?? ''}`;
    console.log('');
    const reads = await measureAlternating(
      [
        { label: 'express + one pg SELECT', load: { url: ceilings.pg, connections } },
        {
          label: 'gateway GET /instances/{id}',
          load: { url: `${gateway.url}/instances`, headers: { authorization: headers.authorization }, connections, request: { setup: (request) => ({ ...request, path: pickPath() }) } },
        },
      ],
      { rounds, secondsPerRun, warmupSeconds: 2, log: console.log, meter: environment.meter },
    );
    const pg = requireResult(reads, 'express + one pg SELECT');
    const get = requireResult(reads, 'gateway GET /instances/{id}');
    console.log('');
    for (const [label, result, ceiling] of [['express + one pg SELECT', pg, undefined], ['gateway GET /instances/{id}', get, pg]] as const) {
      console.log(formatLoad(label, result, ceiling));
      if (result.costs) console.log(`  ${formatCosts(result.costs, result.total)}`);
    }
    console.log('');

    const checks = [
      targetCheck('creates accepted per second', creates.requestsPerSecond, 500, 'at-least'),
      targetCheck('POST → running p99 (ms)', percentile(toRunning, 0.99), 250, 'at-most'),
      targetCheck('GET /instances/{id} vs express + pg', get.requestsPerSecond / pg.requestsPerSecond, 0.4, 'ratio'),
      targetCheck('failed creates or reads', creates.total - created + get.non2xx + get.errors + creates.errors, 0, 'at-most'),
    ];
    for (const check of checks) console.log(formatTargetCheck(check));
    if (checks.some((check) => !check.met)) process.exitCode = 1;
  } finally {
    await watcher.stop();
    await environment.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
