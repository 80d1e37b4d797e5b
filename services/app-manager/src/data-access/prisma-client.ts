import { createPrismaAdapter, type Database } from '@overcast/db';
import { PrismaClient } from '../generated/prisma/client';

export function createAppManagerPrisma(database: Database) {
  return new PrismaClient({
    adapter: createPrismaAdapter(database),
    transactionOptions: { maxWait: 10_000, timeout: 30_000 },
  });
}

export type AppManagerPrisma = ReturnType<typeof createAppManagerPrisma>;
export type AppManagerTransaction = Parameters<Parameters<AppManagerPrisma['$transaction']>[0]>[0];
export type AppManagerExecutor = AppManagerPrisma | AppManagerTransaction;
