import { createPrismaAdapter, type Database } from '@overcast/db';
import { PrismaClient } from '../generated/prisma/client';

export function createRegistryPrisma(database: Database) {
  return new PrismaClient({
    adapter: createPrismaAdapter(database),
    transactionOptions: { maxWait: 10_000, timeout: 30_000 },
  });
}

export type RegistryPrisma = ReturnType<typeof createRegistryPrisma>;
export type RegistryPrismaTransaction = Parameters<Parameters<RegistryPrisma['$transaction']>[0]>[0];
export type RegistryPrismaExecutor = RegistryPrisma | RegistryPrismaTransaction;
