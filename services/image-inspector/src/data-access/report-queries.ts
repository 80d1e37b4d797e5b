import { Prisma } from '../generated/prisma/client';
import { qualified } from '@overcast/db';
import type { AccountCounts, DailyUsageRow, ReportWindow } from '../domain/ports';
import type { UsagePrisma } from './prisma-client';

/**
 * FACTS 4.5 in SQL, so a report over a million events never leaves Postgres row by row. For each instance of the
 * window's accounts the relevant events are its latest event before `start` and every event in [start, end). Walking
 * them in time order, only a change of state matters (a power_on while on and a power_off while off are ignored), so
 * each power_on that follows anything but a power_on opens a run, closed by the next change or by `end`, and a run
 * opened before `start` counts from `start`. An instance's image is the one of its earliest event that names one: the
 * original stored the instance's current image on every event, but a StartInstances record names none, so the image
 * comes from the RunInstances record, whenever that was. `rhel` = detected XOR challenged, `openshift` likewise.
 */
function windowCtes(schema: string, window: ReportWindow): Prisma.Sql {
  const table = (name: string) => Prisma.raw(qualified(schema, name));
  const { tenantId, accountIds, start, end } = window;
  return Prisma.sql`
    WITH inst AS (
      SELECT id, account_id FROM ${table('tracked_instances')}
       WHERE tenant_id = ${tenantId} AND account_id = ANY(${accountIds}::int[])
    ),
    relevant AS (
      SELECT e.id, e.instance_id, e.event_type, e.occurred_at, e.machine_image_id
        FROM ${table('power_events')} e JOIN inst ON inst.id = e.instance_id
       WHERE e.occurred_at >= ${start} AND e.occurred_at < ${end}
      UNION ALL
      SELECT before.* FROM inst CROSS JOIN LATERAL (
        SELECT e.id, e.instance_id, e.event_type, e.occurred_at, e.machine_image_id
          FROM ${table('power_events')} e
         WHERE e.instance_id = inst.id AND e.occurred_at < ${start}
         ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1
      ) before
    ),
    changes AS (
      SELECT id, instance_id, event_type, occurred_at FROM (
        SELECT relevant.*, lag(event_type) OVER (PARTITION BY instance_id ORDER BY occurred_at, id) AS previous
          FROM relevant
      ) walked WHERE previous IS DISTINCT FROM event_type
    ),
    runs AS (
      SELECT instance_id, event_type, greatest(occurred_at, ${start}::timestamptz) AS on_at,
             coalesce(lead(occurred_at) OVER (PARTITION BY instance_id ORDER BY occurred_at, id), ${end}::timestamptz) AS off_at
        FROM changes
    ),
    intervals AS (SELECT instance_id, on_at, off_at FROM runs WHERE event_type = 'power_on' AND off_at > on_at),
    instance_images AS (
      SELECT inst.id AS instance_id, image.id AS image_id,
             ((image.rhel_enabled_repos_found OR image.rhel_product_certs_found OR image.rhel_release_files_found
               OR image.rhel_signed_packages_found) <> image.rhel_challenged) AS rhel,
             (image.openshift_detected <> image.openshift_challenged) AS openshift
        FROM inst CROSS JOIN LATERAL (
          SELECT e.machine_image_id FROM ${table('power_events')} e
           WHERE e.instance_id = inst.id AND e.machine_image_id IS NOT NULL
           ORDER BY e.occurred_at, e.id LIMIT 1
        ) first_known
        JOIN ${table('machine_images')} image ON image.id = first_known.machine_image_id
    )`;
}

interface DailyRow {
  day: number | null;
  rhel_instances: bigint;
  openshift_instances: bigint;
  rhel_seconds: number;
  openshift_seconds: number;
}

/** Per day of the window (days start at `start`, the last one cut at `end`), plus the distinct totals (day null). */
export async function queryDailyUsage(prisma: UsagePrisma, schema: string, window: ReportWindow, days: number) {
  const rows = await prisma.$queryRaw<DailyRow[]>`${windowCtes(schema, window)},
    periods AS (
      SELECT day, ${window.start}::timestamptz + day * interval '1 day' AS period_start,
             least(${window.start}::timestamptz + (day + 1) * interval '1 day', ${window.end}::timestamptz) AS period_end
        FROM generate_series(0, ${days}::int - 1) AS day
    ),
    per_day AS (
      SELECT periods.day, intervals.instance_id,
             sum(extract(epoch FROM least(intervals.off_at, periods.period_end) - greatest(intervals.on_at, periods.period_start))) AS seconds
        FROM periods JOIN intervals ON intervals.on_at < periods.period_end AND intervals.off_at > periods.period_start
       GROUP BY periods.day, intervals.instance_id
    )
    SELECT per_day.day,
           count(DISTINCT per_day.instance_id) FILTER (WHERE images.rhel) AS rhel_instances,
           count(DISTINCT per_day.instance_id) FILTER (WHERE images.openshift) AS openshift_instances,
           coalesce(sum(per_day.seconds) FILTER (WHERE images.rhel), 0)::float8 AS rhel_seconds,
           coalesce(sum(per_day.seconds) FILTER (WHERE images.openshift), 0)::float8 AS openshift_seconds
      FROM per_day JOIN instance_images images ON images.instance_id = per_day.instance_id
     GROUP BY GROUPING SETS ((per_day.day), ())`;
  const byDay = new Map(rows.filter((row) => row.day !== null).map((row) => [Number(row.day), row]));
  const totals = rows.find((row) => row.day === null);
  const usage: DailyUsageRow[] = Array.from({ length: days }, (_, day) => {
    const row = byDay.get(day);
    return {
      day,
      rhelInstances: Number(row?.rhel_instances ?? 0),
      openshiftInstances: Number(row?.openshift_instances ?? 0),
      rhelRuntimeSeconds: row?.rhel_seconds ?? 0,
      openshiftRuntimeSeconds: row?.openshift_seconds ?? 0,
    };
  });
  return {
    days: usage,
    rhelInstances: Number(totals?.rhel_instances ?? 0),
    openshiftInstances: Number(totals?.openshift_instances ?? 0),
  };
}

interface AccountCountRow {
  account_id: number;
  images: bigint;
  instances: bigint;
  rhel_instances: bigint;
  openshift_instances: bigint;
}

/** cloudigrade's account overview: a power_off before `start` is not relevant (validate_event). */
export async function queryAccountCounts(
  prisma: UsagePrisma,
  schema: string,
  window: ReportWindow,
): Promise<AccountCounts[]> {
  const rows = await prisma.$queryRaw<AccountCountRow[]>`${windowCtes(schema, window)},
    kept AS (
      SELECT relevant.*, inst.account_id FROM relevant JOIN inst ON inst.id = relevant.instance_id
       WHERE NOT (relevant.occurred_at < ${window.start} AND relevant.event_type = 'power_off')
    )
    SELECT kept.account_id,
           count(DISTINCT images.image_id) AS images,
           count(DISTINCT kept.instance_id) AS instances,
           count(DISTINCT kept.instance_id) FILTER (WHERE images.rhel) AS rhel_instances,
           count(DISTINCT kept.instance_id) FILTER (WHERE images.openshift) AS openshift_instances
      FROM kept LEFT JOIN instance_images images ON images.instance_id = kept.instance_id
     GROUP BY kept.account_id`;
  return rows.map((row) => ({
    accountId: row.account_id,
    images: Number(row.images),
    instances: Number(row.instances),
    rhelInstances: Number(row.rhel_instances),
    openshiftInstances: Number(row.openshift_instances),
  }));
}

interface ImageUsageRow {
  image_id: number;
  instances_seen: bigint;
  runtime_seconds: number;
}

/** Per image the window's instances ran: how many instances, and their runtime inside the window. */
export async function queryImageUsage(prisma: UsagePrisma, schema: string, window: ReportWindow) {
  const rows = await prisma.$queryRaw<ImageUsageRow[]>`${windowCtes(schema, window)},
    runtime AS (
      SELECT instance_id, sum(extract(epoch FROM off_at - on_at)) AS seconds FROM intervals GROUP BY instance_id
    )
    SELECT images.image_id, count(*) AS instances_seen, coalesce(sum(runtime.seconds), 0)::float8 AS runtime_seconds
      FROM instance_images images LEFT JOIN runtime ON runtime.instance_id = images.instance_id
     GROUP BY images.image_id`;
  return rows.map((row) => ({
    imageId: row.image_id,
    instancesSeen: Number(row.instances_seen),
    runtimeSeconds: row.runtime_seconds,
  }));
}
