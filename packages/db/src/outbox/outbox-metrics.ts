import { Gauge, type Registry } from 'prom-client';
import type { Database } from '../connect-database';
import { qualified } from '../identifiers';

/**
 * Outbox depth and the age of its oldest message, read from the table when Prometheus scrapes (one indexed
 * aggregate per scrape, nothing on the write path). A growing age means the relay is not keeping up or the
 * broker refuses: the alert an operator wants before consumers notice.
 */
export function registerOutboxMetrics(registry: Registry, database: Database): void {
  const table = qualified(database.schema, '_overcast_outbox');
  let latest: Promise<{ depth: number; ageSeconds: number }> | null = null;
  // One query answers both gauges of a scrape.
  const read = () => {
    latest ??= database.pool
      .query<{ depth: string; age: number | null }>(
        `SELECT count(*) AS depth, extract(epoch FROM now() - min(created_at))::float8 AS age FROM ${table}`,
      )
      .then((result) => ({ depth: Number(result.rows[0]?.depth ?? 0), ageSeconds: result.rows[0]?.age ?? 0 }))
      .finally(() => setImmediate(() => (latest = null)));
    return latest;
  };
  new Gauge({
    name: 'outbox_messages',
    help: 'Messages in the outbox, written and not yet confirmed by the broker.',
    registers: [registry],
    async collect() {
      this.set((await read()).depth);
    },
  });
  new Gauge({
    name: 'outbox_oldest_message_age_seconds',
    help: 'Age of the oldest message in the outbox (0 when empty).',
    registers: [registry],
    async collect() {
      this.set((await read()).ageSeconds);
    },
  });
}
