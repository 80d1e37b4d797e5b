import { Prisma } from '../generated/prisma/client';
import type { RateLimitStore } from '../domain/rate-limiter';
import type { GatewayPrisma } from './prisma-client';

const identifierPattern = /^[a-z_][a-z0-9_]*$/i;

/** The shared counters table; one statement per sync whatever the number of keys. */
export function createRateLimitRepository(prisma: GatewayPrisma, schema: string): RateLimitStore {
  if (!identifierPattern.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  const table = Prisma.raw(`"${schema}"."rate_limit_counters"`);

  return {
    async addAndRead(windowStart, deltas, readKeys) {
      // Keys are sorted so two replicas upserting the same keys lock them in the same order (no deadlock).
      const keys = [...deltas.keys()].sort();
      const counts = keys.map((key) => deltas.get(key) ?? 0);
      const rows = await prisma.$queryRaw<{ key: string; count: number }[]>`
        WITH added AS (
          INSERT INTO ${table} AS counters ("key", "window_start", "count")
          SELECT k, ${BigInt(windowStart)}, c FROM unnest(${keys}::text[], ${counts}::int[]) AS t(k, c) ORDER BY k
          ON CONFLICT ("key", "window_start") DO UPDATE SET "count" = counters."count" + EXCLUDED."count"
          RETURNING "key", "count"
        )
        SELECT "key", "count" FROM added
        UNION ALL
        SELECT "key", "count" FROM ${table}
        WHERE "window_start" = ${BigInt(windowStart)} AND "key" = ANY(${[...readKeys]}::text[])`;
      return new Map(rows.map((row) => [row.key, Number(row.count)]));
    },

    async deleteWindowsBefore(windowStart) {
      await prisma.rateLimitCounter.deleteMany({ where: { windowStart: { lt: BigInt(windowStart) } } });
    },
  };
}
