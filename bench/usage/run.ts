import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { connectDatabase, migrateDatabase, qualified } from '@overcast/db';
import {
  createIngestActivityLog,
  createReportUseCases,
  createUsageStore,
  imageInspectorMigrationsDir,
} from '@overcast/image-inspector';
import { createTestDatabase } from '@overcast/test-kit';
import type { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { formatTargetCheck, targetCheck } from '../lib/targets';
import { makeActivityLogs, type EventRow } from './ingest-files';

// Knobs for one run.
const files = Number(process.env.BENCH_USAGE_FILES ?? 20);
const recordsPerFile = Number(process.env.BENCH_USAGE_RECORDS_PER_FILE ?? 4_000);
const reportInstances = Number(process.env.BENCH_USAGE_INSTANCES ?? 10_000);
const reportEvents = Number(process.env.BENCH_USAGE_EVENTS ?? 1_000_000);
const schema = 'image_inspector';
const tenantId = 'bench';

const csvField = (value: string | number | null) => (value === null ? '\\N' : String(value));

/** The ceiling: the same event rows COPYed into a table shaped (and indexed) like power_events. */
async function copyCeiling(pool: Pool, rows: EventRow[], firstInstanceId: number): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query(
      `CREATE TABLE ${qualified(schema, 'copy_ceiling')} (LIKE ${qualified(schema, 'power_events')} INCLUDING ALL)`,
    );
    const lines = rows.map(
      (row) =>
        [
          tenantId,
          row.instanceId + firstInstanceId - 1,
          '\\N',
          row.eventType,
          row.occurredAt,
          row.subnet,
          row.instanceType,
          row.sourceEventId,
        ]
          .map(csvField)
          .join('\t') + '\n',
    );
    const started = performance.now();
    await pipeline(
      Readable.from(lines),
      client.query(
        copyFrom(
          `COPY ${qualified(schema, 'copy_ceiling')} (tenant_id, instance_id, machine_image_id, event_type, occurred_at, subnet, instance_type, source_event_id) FROM STDIN`,
        ),
      ),
    );
    return performance.now() - started;
  } finally {
    client.release();
  }
}

/** 1M events over 10k instances in one month, written by SQL: each instance alternates on and off. */
async function seedReport(pool: Pool, accountId: number): Promise<void> {
  const perInstance = Math.ceil(reportEvents / reportInstances);
  await pool.query(
    `INSERT INTO ${qualified(schema, 'machine_images')} (tenant_id, cloud_image_id, rhel_challenged, openshift_detected)
     SELECT $1, 'ami-report-' || n, n % 2 = 0, n % 3 = 0 FROM generate_series(1, 20) n`,
    [tenantId],
  );
  await pool.query(
    `INSERT INTO ${qualified(schema, 'tracked_instances')} (tenant_id, account_id, cloud_instance_id, region)
     SELECT $1, $2, 'i-report-' || n, 'us-east-1' FROM generate_series(1, $3::int) n`,
    [tenantId, accountId, reportInstances],
  );
  await pool.query(
    `INSERT INTO ${qualified(schema, 'power_events')} (tenant_id, instance_id, machine_image_id, event_type, occurred_at, source_event_id)
     SELECT $1, i.id, CASE WHEN e = 0 THEN (SELECT id FROM ${qualified(schema, 'machine_images')} WHERE cloud_image_id = 'ami-report-' || (1 + i.id % 20)) END,
            CASE WHEN e % 2 = 0 THEN 'power_on' ELSE 'power_off' END,
            timestamptz '2026-03-01T00:00:00Z' + (e * interval '30 days' / $3::int) + (i.id % 3600) * interval '1 second',
            'seed-' || e
       FROM ${qualified(schema, 'tracked_instances')} i CROSS JOIN generate_series(0, $3::int - 1) e
      WHERE i.account_id = $2`,
    [tenantId, accountId, perInstance],
  );
  await pool.query(`ANALYZE ${qualified(schema, 'power_events')}`);
}

async function main(): Promise<void> {
  const testDatabase = await createTestDatabase();
  await migrateDatabase({ url: testDatabase.url, schema, migrationsDir: imageInspectorMigrationsDir });
  const database = await connectDatabase({ url: testDatabase.url, schema, maxConnections: 5 });
  const store = createUsageStore(database);
  try {
    const ingestAccount = await store.insertAccount({
      tenantId,
      type: 'local',
      name: 'ingest',
      awsAccountId: null,
      accountArn: null,
    });
    const { logs, rows } = makeActivityLogs(files, recordsPerFile);
    const ingest = createIngestActivityLog({ store, limits: { maxDecompressedBytes: 256 * 1024 * 1024 } });
    const ingestStarted = performance.now();
    let events = 0;
    for (const log of logs) {
      events += (await ingest({ tenantId, accountId: ingestAccount.id, file: Readable.from([log]) })).eventsAdded;
    }
    const ingestMs = performance.now() - ingestStarted;
    const { rows: first } = await database.pool.query<{ id: number }>(
      `SELECT min(id) AS id FROM ${qualified(schema, 'tracked_instances')} WHERE account_id = $1`,
      [ingestAccount.id],
    );
    const copyMs = await copyCeiling(database.pool, rows, first[0]?.id ?? 1);
    const ingestRate = events / (ingestMs / 1000);
    const copyRate = rows.length / (copyMs / 1000);
    console.log(`activity logs: ${files} files × ${recordsPerFile} records, ${events} events`);
    console.log(`  ingestion (parse + instances + images + events)  ${Math.round(ingestRate)} events/s`);
    console.log(`  raw COPY of the same rows (ceiling)               ${Math.round(copyRate)} rows/s`);

    const reportAccount = await store.insertAccount({
      tenantId,
      type: 'local',
      name: 'report',
      awsAccountId: null,
      accountArn: null,
    });
    const seedStarted = performance.now();
    await seedReport(database.pool, reportAccount.id);
    console.log(
      `report: ${reportInstances} instances, ~${reportEvents} events seeded in ${Math.round(performance.now() - seedStarted)} ms`,
    );
    const reports = createReportUseCases({ store, clock: { now: () => new Date() } });
    const timings: number[] = [];
    let report: Awaited<ReturnType<typeof reports.dailyUsage>> | undefined;
    for (let round = 0; round < 5; round += 1) {
      const started = performance.now();
      report = await reports.dailyUsage({
        tenantId,
        accountId: reportAccount.id,
        start: '2026-03-01T00:00:00Z',
        end: '2026-04-01T00:00:00Z',
      });
      timings.push(performance.now() - started);
    }
    timings.sort((a, b) => a - b);
    const median = timings[2] ?? Infinity;
    console.log(
      `  daily report over March (31 days): median ${Math.round(median)} ms of 5 (${timings.map(Math.round).join(', ')})`,
    );
    console.log(
      `  instances seen with RHEL ${report?.instancesSeenWithRhel}, with OpenShift ${report?.instancesSeenWithOpenshift}`,
    );

    const checks = [
      targetCheck('ingestion vs raw COPY', ingestRate / copyRate, 0.5, 'ratio'),
      targetCheck('daily report over 1M events (ms)', median, 2_000, 'at-most'),
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
