import { createPrismaAdapter, type Database } from '@overcast/db';
import { PrismaClient } from '../generated/prisma/client';

export function createUsagePrisma(database: Database) {
  return new PrismaClient({
    adapter: createPrismaAdapter(database),
    transactionOptions: { maxWait: 10_000, timeout: 60_000 },
  });
}

export type UsagePrisma = ReturnType<typeof createUsagePrisma>;
export type UsagePrismaTransaction = Parameters<Parameters<UsagePrisma['$transaction']>[0]>[0];
