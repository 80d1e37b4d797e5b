import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { connectDatabase, migrateDatabase, qualified, type Database } from '@overcast/db';
import {
  createIngestActivityLog,
  createReportUseCases,
  createUsageStore,
  imageInspectorMigrationsDir,
} from '@overcast/image-inspector';
import { createTestDatabase } from '@overcast/test-kit';
import { backendPidsOf } from '../lib/postgres-backends';
import { percentile } from '../lib/percentiles';
import { measureCpu } from '../lib/process-cpu';
import { formatTargetCheck, targetCheck } from '../lib/targets';
import { ceilingLines, copyLines, createCeilingTable, schema, seedReport } from './copy-rows';
import { makeActivityLogs } from './ingest-files';

// Knobs for one run.
const rounds = Number(process.env.BENCH_USAGE_ROUNDS ?? 3);
const files = Number(process.env.BENCH_USAGE_FILES ?? 10);
const recordsPerFile = Number(process.env.BENCH_USAGE_RECORDS_PER_FILE ?? 4_000);
const reportInstances = Number(process.env.BENCH_USAGE_INSTANCES ?? 10_000);
const reportEvents = Number(process.env.BENCH_USAGE_EVENTS ?? 1_000_000);
const tenantId = 'bench';

type Store = ReturnType<typeof createUsageStore>;
const median = (values: number[]) => percentile(values, 0.5);
const rate = (count: number, ms: number) => Math.round(count / (ms / 1000));

/**
 * Each round ingests new files (new instances, new eventIDs) one transaction per file, then COPYs the same event
 * rows into the ceiling table; rounds alternate the two so load from elsewhere falls on both. Median ratio.
 */
async function measureIngestion(database: Database, store: Store, databaseName: string) {
  const processes = async () => ({ node: [process.pid], postgres: await backendPidsOf([databaseName]) });
  const cpuOf = (cpuMs: Record<string, number>) => (cpuMs.node ?? 0) + (cpuMs.postgres ?? 0);
  const account = await store.insertAccount({
    tenantId,
    type: 'local',
    name: 'ingest',
    awsAccountId: null,
    accountArn: null,
  });
  const ingest = createIngestActivityLog({ store, limits: { maxDecompressedBytes: 256 * 1024 * 1024 } });
  const ceiling = await createCeilingTable(database.pool);
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  let firstInstance = 0;
  console.log(
    `activity logs: a warm-up round, then ${rounds} rounds of ${files} files × ${recordsPerFile} records (three in four power events)`,
  );
  // Round 0 warms up (the JIT, the plans, the pool's connections) and is printed but not counted, as the other
  // benchmarks warm up before they measure: its node CPU ran 40–80 ms above every later round's.
  for (let round = 0; round <= rounds; round += 1) {
    const { logs, rows, nextInstance } = makeActivityLogs(files, recordsPerFile, firstInstance);
    firstInstance = nextInstance;
    const started = performance.now();
    const ingested = await measureCpu(processes, async () => {
      let events = 0;
      for (const log of logs) {
        events += (await ingest({ tenantId, accountId: account.id, file: Readable.from([log]) })).eventsAdded;
      }
      return events;
    });
    const ingestMs = performance.now() - started;
    if (ingested.result !== rows.length)
      throw new Error(`ingestion stored ${ingested.result} events of ${rows.length}`);
    const lines = await ceilingLines(database.pool, tenantId, account.id, rows);
    const copied = await measureCpu(processes, () => copyLines(database.pool, ceiling, lines));
    const copyMs = copied.result;
    if (round > 0) {
      ratios.push(copyMs / ingestMs);
      cpuRatios.push(cpuOf(copied.cpuMs) / cpuOf(ingested.cpuMs));
    }
    console.log(
      `  ${round === 0 ? 'warm-up' : `round ${round}`}: ingestion (parse + images + instances + events) ${rate(rows.length, ingestMs)} events/s, ` +
        `${Math.round(cpuOf(ingested.cpuMs))} ms CPU (node ${Math.round(ingested.cpuMs.node ?? 0)} + postgres ${Math.round(ingested.cpuMs.postgres ?? 0)})`,
    );
    console.log(
      `           raw COPY of the same rows (ceiling)          ${rate(rows.length, copyMs)} rows/s,   ` +
        `${Math.round(cpuOf(copied.cpuMs))} ms CPU (node ${Math.round(copied.cpuMs.node ?? 0)} + postgres ${Math.round(copied.cpuMs.postgres ?? 0)}): ${Math.round((copyMs / ingestMs) * 100)}% by time, ` +
        `${Math.round((cpuOf(copied.cpuMs) / cpuOf(ingested.cpuMs)) * 100)}% by CPU`,
    );
  }
  console.log(`  median ratio by CPU (load-independent): ${Math.round(median(cpuRatios) * 100)}%`);
  return median(ratios);
}

/** The daily report over March beside a count(*) of the same events, alternating, five each; medians in ms. */
async function measureReport(database: Database, store: Store) {
  const account = await store.insertAccount({
    tenantId,
    type: 'local',
    name: 'report',
    awsAccountId: null,
    accountArn: null,
  });
  const perInstance = Math.ceil(reportEvents / reportInstances);
  const seedStarted = performance.now();
  await seedReport(database.pool, tenantId, account.id, reportInstances, perInstance);
  console.log(
    `report: ${reportInstances} instances × ${perInstance} events seeded by COPY in ${Math.round(performance.now() - seedStarted)} ms`,
  );
  const reports = createReportUseCases({ store, clock: { now: () => new Date() } });
  const window = { start: '2026-03-01T00:00:00Z', end: '2026-04-01T00:00:00Z' };
  const reportMs: number[] = [];
  const countMs: number[] = [];
  let report: Awaited<ReturnType<typeof reports.dailyUsage>> | undefined;
  let counted = 0;
  for (let round = 0; round < 5; round += 1) {
    let started = performance.now();
    report = await reports.dailyUsage({ tenantId, accountId: account.id, ...window });
    reportMs.push(performance.now() - started);
    started = performance.now();
    const { rows } = await database.pool.query<{ count: string }>(
      `SELECT count(*) FROM ${qualified(schema, 'power_events')}
        WHERE instance_id IN (SELECT id FROM ${qualified(schema, 'tracked_instances')} WHERE account_id = $1)
          AND occurred_at >= $2 AND occurred_at < $3`,
      [account.id, window.start, window.end],
    );
    countMs.push(performance.now() - started);
    counted = Number(rows[0]?.count ?? 0);
  }
  const shown = (values: number[]) => values.map(Math.round).join(', ');
  console.log(`  daily report over March (31 days): median ${Math.round(median(reportMs))} ms (${shown(reportMs)})`);
  console.log(
    `  SELECT count(*) of the same ${counted} events (ceiling): median ${Math.round(median(countMs))} ms (${shown(countMs)})`,
  );
  console.log(
    `  instances seen with RHEL ${report?.instancesSeenWithRhel}, with OpenShift ${report?.instancesSeenWithOpenshift}`,
  );
  return median(reportMs);
}

async function main(): Promise<void> {
  const testDatabase = await createTestDatabase();
  await migrateDatabase({ url: testDatabase.url, schema, migrationsDir: imageInspectorMigrationsDir });
  const database = await connectDatabase({ url: testDatabase.url, schema, maxConnections: 5 });
  const store = createUsageStore(database);
  try {
    const ingestionRatio = await measureIngestion(database, store, testDatabase.name);
    const reportMs = await measureReport(database, store);
    const checks = [
      targetCheck('ingestion vs raw COPY (median round)', ingestionRatio, 0.5, 'ratio'),
      targetCheck(`daily report over ${reportEvents} events (ms)`, reportMs, 2_000, 'at-most'),
    ];
    for (const check of checks) console.log(formatTargetCheck(check));
    if (checks.some((check) => !check.met)) process.exitCode = 1;
  } finally {
    await store.close();
    await database.close();
    await testDatabase.drop();
  }
}

void main();
