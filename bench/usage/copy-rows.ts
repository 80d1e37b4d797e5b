import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { qualified } from '@overcast/db';
import type { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EventRow } from './ingest-files';

export const schema = 'image_inspector';
const eventColumns =
  'tenant_id, instance_id, machine_image_id, event_type, occurred_at, subnet, instance_type, source_event_id';

const field = (value: string | number | null) => (value === null ? '\\N' : String(value));

/** COPYs text lines into `table`, about 64 KiB a write, as a client that COPYs well does; resolves to its ms. */
export async function copyLines(pool: Pool, table: string, lines: Iterable<string>): Promise<number> {
  function* chunks() {
    let chunk = '';
    for (const line of lines) {
      chunk += line;
      if (chunk.length >= 64 * 1024) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk.length > 0) yield chunk;
  }
  const client = await pool.connect();
  try {
    const started = performance.now();
    await pipeline(Readable.from(chunks()), client.query(copyFrom(`COPY ${table} (${eventColumns}) FROM STDIN`)));
    return performance.now() - started;
  } finally {
    client.release();
  }
}

/**
 * The ingestion ceiling's table: shaped like power_events with the same indexes (unique eventID included) and the
 * same foreign keys, so a row COPYed into it costs the database what an event row costs at the least.
 */
export async function createCeilingTable(pool: Pool): Promise<string> {
  const table = qualified(schema, 'copy_ceiling');
  await pool.query(`CREATE TABLE ${table} (LIKE ${qualified(schema, 'power_events')} INCLUDING ALL)`);
  await pool.query(
    `ALTER TABLE ${table}
       ADD FOREIGN KEY (instance_id) REFERENCES ${qualified(schema, 'tracked_instances')} (id),
       ADD FOREIGN KEY (machine_image_id) REFERENCES ${qualified(schema, 'machine_images')} (id)`,
  );
  return table;
}

/** The same event rows ingestion stored, with the instance and image ids it gave them, as COPY lines. */
export async function ceilingLines(
  pool: Pool,
  tenantId: string,
  accountId: number,
  rows: EventRow[],
): Promise<string[]> {
  const instances = await pool.query<{ id: number; cloud_instance_id: string }>(
    `SELECT id, cloud_instance_id FROM ${qualified(schema, 'tracked_instances')} WHERE account_id = $1`,
    [accountId],
  );
  const images = await pool.query<{ id: number; cloud_image_id: string }>(
    `SELECT id, cloud_image_id FROM ${qualified(schema, 'machine_images')} WHERE tenant_id = $1`,
    [tenantId],
  );
  const instanceId = new Map(instances.rows.map((row) => [row.cloud_instance_id, row.id]));
  const imageId = new Map(images.rows.map((row) => [row.cloud_image_id, row.id]));
  return rows.map(
    (row) =>
      [
        tenantId,
        instanceId.get(row.cloudInstanceId) ?? null,
        row.cloudImageId === null ? null : (imageId.get(row.cloudImageId) ?? null),
        row.eventType,
        row.occurredAt,
        row.subnet,
        row.instanceType,
        row.sourceEventId,
      ]
        .map(field)
        .join('\t') + '\n',
  );
}

/**
 * The report's data: `instances` instances in one account over 20 images, each with `perInstance` events
 * alternating on and off through March 2026, its first event naming its image, COPYed into power_events, then
 * vacuumed and analyzed as autovacuum would have left a table this size.
 */
export async function seedReport(
  pool: Pool,
  tenantId: string,
  accountId: number,
  instances: number,
  perInstance: number,
): Promise<void> {
  await pool.query(
    `INSERT INTO ${qualified(schema, 'machine_images')} (tenant_id, cloud_image_id, rhel_challenged, openshift_detected)
     SELECT $1, 'ami-report-' || n, n % 2 = 0, n % 3 = 0 FROM generate_series(1, 20) n`,
    [tenantId],
  );
  const { rows: images } = await pool.query<{ id: number }>(
    `SELECT id FROM ${qualified(schema, 'machine_images')} WHERE cloud_image_id LIKE 'ami-report-%' ORDER BY id`,
  );
  const { rows: tracked } = await pool.query<{ id: number }>(
    `INSERT INTO ${qualified(schema, 'tracked_instances')} (tenant_id, account_id, cloud_instance_id, region)
     SELECT $1, $2, 'i-report-' || n, 'us-east-1' FROM generate_series(1, $3::int) n RETURNING id`,
    [tenantId, accountId, instances],
  );
  const start = Date.parse('2026-03-01T00:00:00Z');
  const spacing = (30 * 24 * 3600 * 1000) / perInstance;
  function* lines() {
    for (const { id } of tracked) {
      for (let event = 0; event < perInstance; event += 1) {
        const image = event === 0 ? (images[id % images.length]?.id ?? null) : null;
        const at = new Date(start + event * spacing + (id % 3600) * 1000).toISOString();
        const type = event % 2 === 0 ? 'power_on' : 'power_off';
        yield [tenantId, id, image, type, at, null, null, `seed-${event}`].map(field).join('\t') + '\n';
      }
    }
  }
  await copyLines(pool, qualified(schema, 'power_events'), lines());
  await pool.query(`VACUUM ANALYZE ${qualified(schema, 'power_events')}`);
}
