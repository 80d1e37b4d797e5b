import type { Database } from '@overcast/db';
import type { RegistryPrismaTransaction } from './prisma-client';

/** The NOTIFY channel of one registry schema's placement changes (schema names are ≤ 48 bytes: it fits in 63). */
const placementChannel = (schema: string) => `placement_${schema}`;

/**
 * Announces, inside the transaction that changed them, the datacenters whose placed nodes changed. Postgres
 * delivers the notice on commit only, and to every replica's listener, so whichever replica holds an agent's
 * stream tells it; a rolled-back change announces nothing.
 */
export async function announcePlacementChanges(
  tx: RegistryPrismaTransaction,
  schema: string,
  datacenterIds: Iterable<string>,
): Promise<void> {
  const ids = [...new Set(datacenterIds)];
  if (ids.length === 0) return;
  await tx.$executeRaw`SELECT pg_notify(${placementChannel(schema)}, id) FROM unnest(${ids}::text[]) AS id`;
}

/** Calls `changed` with each datacenter id announced; the answer stops listening. */
export function listenForPlacementChanges(
  database: Database,
  changed: (datacenterId: string) => void,
): Promise<() => Promise<void>> {
  return database.listen(placementChannel(database.schema), changed);
}
