import type { MachineImage } from '@overcast/contracts';
import type { Prisma } from '../generated/prisma/client';
import type { UsagePrisma } from './prisma-client';
import { toMachineImage } from './rows';

/**
 * The one way an image's row is written once made (challenges, inspection results and failed tries, the triage's
 * verdict): one UPDATE … RETURNING of the row, answered as the row that statement left. Postgres holds the row's lock
 * for the statement and evaluates it against the latest committed row, so writers of different fields never lose
 * each other's writes, and `rhel` (detected XOR challenged) is derived from the row as written, never from a read
 * made before or after it that another writer may have changed in between. A writer never writes a field it only
 * read (the inspection leaves the OpenShift tag to its writers unless the cloud told it). The tenant's images lock is
 * not taken: it serializes whole activity-log files, and a challenge would wait for a file's ingestion.
 * Null when the tenant has no such image, or it no longer matches `only` (a conditional write: the row is left as it was).
 */
export async function updateImage(
  prisma: UsagePrisma,
  tenantId: string,
  id: number,
  data: Prisma.MachineImageUpdateManyMutationInput,
  only: Prisma.MachineImageWhereInput = {},
): Promise<MachineImage | null> {
  const [row] = await prisma.machineImage.updateManyAndReturn({
    where: { ...only, id, tenantId },
    data: { ...data, updatedAt: new Date() },
  });
  return row ? toMachineImage(row) : null;
}
