import { Prisma } from '../generated/prisma/client';
import { qualified } from '@overcast/db';
import type { AccountCounts, DailyUsageRow, ReportWindow } from '../domain/ports';
import type { UsagePrisma } from './prisma-client';

/**
 * FACTS 4.5 in SQL, one instance at a time so that no step sorts or hashes the whole window. For each instance of
 * the window's accounts the relevant events are its latest event before `start` and every event in [start, end).
 * Between one event and the next the instance is in the state the event left it in: on after a power_on (a second
 * power_on while on changes nothing), off after a power_off (one while off changes nothing), so its runtime is the
 * sum of the stretches that begin at a power_on, each ending at the next event or at `end`, one that began before
 * `start` counted from `start`. Events are read in (occurred_at, id) order straight from the index the migration
 * `usage_report_indexes` made for it, so the window function needs no sort.
 *
 * An instance's image is the one of its earliest event that names one: the original stored the instance's current
 * image on every event, but a StartInstances record names none, so the image comes from the RunInstances record,
 * whenever that was (a partial index finds it in one probe). `rhel` = detected XOR challenged, `openshift` likewise.
 */
function instanceImages(schema: string, window: ReportWindow): Prisma.Sql {
  const table = (name: string) => Prisma.raw(qualified(schema, name));
  return Prisma.sql`
    WITH inst AS (
      SELECT id, account_id FROM ${table('tracked_instances')}
       WHERE tenant_id = ${window.tenantId} AND account_id = ANY(${window.accountIds}::int[])
    ),
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

/** `before`: the latest event of `images.instance_id` before `start`, if any (a LEFT JOIN LATERAL item). */
function latestBefore(schema: string, window: ReportWindow): Prisma.Sql {
  return Prisma.sql`LEFT JOIN LATERAL (
      SELECT e.occurred_at, e.id, e.event_type FROM ${Prisma.raw(qualified(schema, 'power_events'))} e
       WHERE e.instance_id = images.instance_id AND e.occurred_at < ${window.start}
       ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1
    ) before ON true`;
}

/** The on stretches of `images.instance_id` as seconds since `start` (`on_s`, `off_s`), given its `before`. */
function onStretches(schema: string, window: ReportWindow): Prisma.Sql {
  const { start, end } = window;
  return Prisma.sql`(
      SELECT on_s, off_s FROM (
        SELECT e.event_type,
               date_part('epoch', greatest(e.occurred_at, ${start}::timestamptz)) - date_part('epoch', ${start}::timestamptz) AS on_s,
               date_part('epoch', coalesce(lead(e.occurred_at) OVER (ORDER BY e.occurred_at, e.id), ${end}::timestamptz))
                 - date_part('epoch', ${start}::timestamptz) AS off_s
          FROM ${Prisma.raw(qualified(schema, 'power_events'))} e
         WHERE e.instance_id = images.instance_id
           AND (e.occurred_at, e.id) >= (coalesce(before.occurred_at, ${start}::timestamptz), coalesce(before.id, 0))
           AND e.occurred_at < ${end}
      ) stretches WHERE event_type = 'power_on' AND off_s > on_s
    )`;
}

interface DailyRow {
  day: number | null;
  rhel_instances: bigint;
  openshift_instances: bigint;
  rhel_seconds: number;
  openshift_seconds: number;
}

/**
 * Per day of the window (day i is [start + i × 86400 s, +86400 s), cut at `end`), plus the distinct totals (day
 * null). Each stretch is split over the days it spans by generate_series, and summed per day for its instance.
 */
export async function queryDailyUsage(prisma: UsagePrisma, schema: string, window: ReportWindow, days: number) {
  const rows = await prisma.$queryRaw<DailyRow[]>`${instanceImages(schema, window)},
    per_day AS (
      SELECT images.instance_id, images.rhel, images.openshift, used.day, used.seconds
        FROM instance_images images ${latestBefore(schema, window)}
        CROSS JOIN LATERAL (
          SELECT day, sum(least(off_s, (day + 1) * 86400.0) - greatest(on_s, day * 86400.0)) AS seconds
            FROM (
              -- In the select list the set-returning function streams its days; in a LATERAL FROM item each call
              -- filled a tuplestore (measured in bench/README.md).
              SELECT on_s, off_s, generate_series(floor(on_s / 86400)::int, ceil(off_s / 86400)::int - 1) AS day
                FROM ${onStretches(schema, window)} stretch
            ) split
           GROUP BY day
        ) used
       WHERE images.rhel OR images.openshift
    )
    SELECT day, count(*) FILTER (WHERE rhel) AS rhel_instances, count(*) FILTER (WHERE openshift) AS openshift_instances,
           coalesce(sum(seconds) FILTER (WHERE rhel), 0)::float8 AS rhel_seconds,
           coalesce(sum(seconds) FILTER (WHERE openshift), 0)::float8 AS openshift_seconds
      FROM per_day GROUP BY day
    UNION ALL
    SELECT NULL, count(DISTINCT instance_id) FILTER (WHERE rhel), count(DISTINCT instance_id) FILTER (WHERE openshift), 0, 0
      FROM per_day`;
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

/**
 * cloudigrade's account overview: an instance counts when it has an event in the window or its latest event
 * before `start` is a power_on (a power_off before `start` is not relevant: validate_event).
 */
export async function queryAccountCounts(
  prisma: UsagePrisma,
  schema: string,
  window: ReportWindow,
): Promise<AccountCounts[]> {
  const events = Prisma.raw(qualified(schema, 'power_events'));
  const rows = await prisma.$queryRaw<AccountCountRow[]>`${instanceImages(schema, window)}
    SELECT inst.account_id,
           count(DISTINCT images.image_id) AS images,
           count(*) AS instances,
           count(*) FILTER (WHERE images.rhel) AS rhel_instances,
           count(*) FILTER (WHERE images.openshift) AS openshift_instances
      FROM inst LEFT JOIN instance_images images ON images.instance_id = inst.id
     WHERE EXISTS (SELECT 1 FROM ${events} e
                    WHERE e.instance_id = inst.id AND e.occurred_at >= ${window.start} AND e.occurred_at < ${window.end})
        OR (SELECT e.event_type FROM ${events} e WHERE e.instance_id = inst.id AND e.occurred_at < ${window.start}
             ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1) = 'power_on'
     GROUP BY inst.account_id`;
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

/** Per image of the window's instances: how many instances, and their runtime inside the window. */
export async function queryImageUsage(prisma: UsagePrisma, schema: string, window: ReportWindow) {
  const rows = await prisma.$queryRaw<ImageUsageRow[]>`${instanceImages(schema, window)}
    SELECT images.image_id, count(*) AS instances_seen, coalesce(sum(runtime.seconds), 0)::float8 AS runtime_seconds
      FROM instance_images images ${latestBefore(schema, window)}
      CROSS JOIN LATERAL (SELECT sum(stretch.off_s - stretch.on_s) AS seconds FROM ${onStretches(schema, window)} stretch) runtime
     GROUP BY images.image_id`;
  return rows.map((row) => ({
    imageId: row.image_id,
    instancesSeen: Number(row.instances_seen),
    runtimeSeconds: row.runtime_seconds,
  }));
}
