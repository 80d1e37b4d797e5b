import { AppError } from '@overcast/contracts';
import { qualified } from '@overcast/db';
import type { AppManagerExecutor, AppManagerTransaction } from './prisma-client';

/** Barcelona's host port range: 10000–19999. */
const firstHostPort = 10_000;
const hostPortCount = 10_000;

/**
 * `count` candidate host ports for a change in `districtId`, from the district's cursor, bumped by one statement of
 * its own (run it outside the change's transaction): concurrent creates in one district get disjoint candidates
 * and wait on each other only for that statement, not for each other's whole transaction.
 */
export async function reserveHostPorts(
  executor: AppManagerExecutor,
  schema: string,
  districtId: string,
  count: number,
): Promise<number[]> {
  if (count === 0) return [];
  const rows = await executor.$queryRawUnsafe<{ start: number }[]>(
    `UPDATE ${qualified(schema, 'districts')}
        SET host_port_cursor = (host_port_cursor + $2::int) % ${hostPortCount}
      WHERE id = $1::uuid
  RETURNING (host_port_cursor - $2::int + ${hostPortCount}) % ${hostPortCount} AS start`,
    districtId,
    count,
  );
  const start = Number(rows[0]?.start ?? 0);
  return Array.from({ length: count }, (_, index) => firstHostPort + ((start + index) % hostPortCount));
}

export interface HostPortClaim {
  serviceId: string;
  hostPort: number;
}

/**
 * Inserts the claimed ports' rows (the primary key keeps each unique per district). A candidate another service
 * still holds (the cursor went round the range) is swapped for the lowest free port: the answer maps each such
 * candidate to its replacement. Only that rare path reads the district's ports.
 */
export async function claimHostPorts(
  tx: AppManagerTransaction,
  schema: string,
  districtId: string,
  claims: HostPortClaim[],
): Promise<Map<number, number>> {
  const replaced = new Map<number, number>();
  if (claims.length === 0) return replaced;
  const inserted = await tx.hostPort.createManyAndReturn({
    data: claims.map((claim) => ({ districtId, hostPort: claim.hostPort, appServiceId: claim.serviceId })),
    skipDuplicates: true,
    select: { hostPort: true },
  });
  const taken = new Set(inserted.map((row) => row.hostPort));
  let missing = claims.filter((claim) => !taken.has(claim.hostPort));
  while (missing.length > 0) {
    const free = await tx.$queryRawUnsafe<{ port: number }[]>(
      `SELECT port FROM generate_series(${firstHostPort}, ${firstHostPort + hostPortCount - 1}) AS port
        WHERE NOT EXISTS (SELECT 1 FROM ${qualified(schema, 'host_ports')} h
                           WHERE h.district_id = $1::uuid AND h.host_port = port)
        ORDER BY port LIMIT $2::int`,
      districtId,
      missing.length,
    );
    if (free.length === 0) throw new AppError('conflict', 'The district has no free host port left (10000–19999).');
    const retried = free.flatMap((row, index) => {
      const claim = missing[index];
      return claim ? [{ ...claim, port: row.port }] : [];
    });
    const again = await tx.hostPort.createManyAndReturn({
      data: retried.map((claim) => ({ districtId, hostPort: claim.port, appServiceId: claim.serviceId })),
      skipDuplicates: true,
      select: { hostPort: true },
    });
    const got = new Set(again.map((row) => row.hostPort));
    for (const claim of retried) if (got.has(claim.port)) replaced.set(claim.hostPort, claim.port);
    missing = missing.filter((claim) => !replaced.has(claim.hostPort));
  }
  return replaced;
}
