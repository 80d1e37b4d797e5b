import { qualified, type Database } from '@overcast/db';
import { Gauge, type Registry } from 'prom-client';

/**
 * `instances{provider,state}`, counted by the database when Prometheus scrapes (the `(provider, state)` index
 * answers it): what the table holds, so replicas agree and nothing is kept in step on the write path. Providers
 * and states are closed sets, so the series are bounded.
 */
export function registerInstanceCounts(registry: Registry, database: Database): void {
  const table = qualified(database.schema, 'instances');
  new Gauge({
    name: 'instances',
    help: 'Instances by provider and state (terminated included), as the broker’s database holds them.',
    labelNames: ['provider', 'state'] as const,
    registers: [registry],
    async collect() {
      const result = await database.pool.query<{ provider: string; state: string; count: string }>(
        `SELECT provider, state, count(*) AS count FROM ${table} GROUP BY provider, state`,
      );
      this.reset();
      for (const row of result.rows) this.set({ provider: row.provider, state: row.state }, Number(row.count));
    },
  });
}
