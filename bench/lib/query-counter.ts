import { Client } from 'pg';

let queries = 0;
let installed = false;

/**
 * Counts every query this process sends through pg — Prisma's adapter, @overcast/db's pool and LISTEN
 * connections alike, BEGIN and COMMIT included — so a benchmark can report database round trips per request.
 * pg sends one query per round trip (no pipelining), so the count is the round-trip count.
 */
export function countDatabaseQueries(): () => number {
  if (!installed) {
    installed = true;
    const original = Client.prototype.query;
    Client.prototype.query = function countedQuery(this: Client, ...args: unknown[]) {
      queries += 1;
      return (original as (...rest: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.query;
  }
  return () => queries;
}
