import { AppError } from '@overcast/contracts';
import { sql } from 'kysely';
import type { Queryable, Statements } from './statements';

/** Barcelona's host port range: 10000–19999. */
const firstHostPort = 10_000;
/** The range's size: the sequence host_port_cursor cycles over 0–9999. */
const hostPortCount = 10_000;

/**
 * An array of `count` candidate host ports from the schema's sequence (see its migration), as an expression:
 * nextval locks no row and is not rolled back, so concurrent creates get disjoint candidates without waiting on
 * each other, in whatever statement asks (an app create's district lookup). The sequence cycles over the range; a
 * candidate another service of the district still holds is swapped by replaceHeldHostPorts.
 */
export function hostPortCandidates(statements: Statements, count: number) {
  return sql<
    number[]
  >`ARRAY(SELECT ${firstHostPort}::int + nextval(${statements.qualifiedName('host_port_cursor')}::regclass)::int
                                FROM generate_series(1, ${count}::int))`;
}

/** `count` candidate host ports (see hostPortCandidates) in a statement of their own. */
export async function reserveHostPorts(statements: Statements, client: Queryable, count: number): Promise<number[]> {
  if (count === 0) return [];
  const [row] = await statements.run<{ ports: number[] }>(
    sql`SELECT ${hostPortCandidates(statements, count)} AS ports`,
    client,
  );
  return row?.ports ?? [];
}

export interface HostPortClaim {
  serviceId: string;
  hostPort: number;
}

/**
 * The rare path, after a change's statement inserted its candidates with ON CONFLICT DO NOTHING: each candidate
 * another service still held (the cursor went round the range) is swapped for the lowest free port, inserted in
 * `client`'s transaction. The answer maps each such candidate to its replacement.
 */
export async function replaceHeldHostPorts(
  statements: Statements,
  client: Queryable,
  districtId: string,
  held: HostPortClaim[],
): Promise<Map<number, number>> {
  const { run, table } = statements;
  const replaced = new Map<number, number>();
  let missing = held;
  while (missing.length > 0) {
    const free = await run<{ port: number }>(
      sql`SELECT port FROM generate_series(${firstHostPort}::int, ${firstHostPort + hostPortCount - 1}::int) AS port
           WHERE NOT EXISTS (SELECT 1 FROM ${table('host_ports')} h
                              WHERE h.district_id = ${districtId}::uuid AND h.host_port = port)
           ORDER BY port LIMIT ${missing.length}::int`,
      client,
    );
    if (free.length === 0) throw new AppError('conflict', 'The district has no free host port left (10000–19999).');
    const retried = free.flatMap((row, index) => {
      const claim = missing[index];
      return claim ? [{ ...claim, port: row.port }] : [];
    });
    const got = await run<{ port: number }>(
      sql`INSERT INTO ${table('host_ports')} (district_id, host_port, app_service_id)
          SELECT ${districtId}::uuid, c.port, c.service
            FROM unnest(${retried.map((claim) => claim.port)}::int[],
                        ${retried.map((claim) => claim.serviceId)}::uuid[]) AS c(port, service)
          ON CONFLICT DO NOTHING RETURNING host_port AS port`,
      client,
    );
    const inserted = new Set(got.map((row) => row.port));
    for (const claim of retried) if (inserted.has(claim.port)) replaced.set(claim.hostPort, claim.port);
    missing = missing.filter((claim) => !replaced.has(claim.hostPort));
  }
  return replaced;
}
