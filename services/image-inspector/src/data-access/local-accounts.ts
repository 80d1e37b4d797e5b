import type { Database } from '@overcast/db';
import { createUsagePrisma } from './prisma-client';

/** Local accounts by id, whatever their tenant: a watched directory's subdirectory names one by its id. */
export function createLocalAccounts(database: Database) {
  const prisma = createUsagePrisma(database);
  return {
    async findLocalAccount(id: number): Promise<{ tenantId: string } | null> {
      return prisma.cloudAccount.findFirst({ where: { id, type: 'local' }, select: { tenantId: true } });
    },
    close: () => prisma.$disconnect(),
  };
}
