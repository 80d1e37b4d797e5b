import { createPrismaAdapter, type Database } from '@overcast/db';
import { PrismaClient } from '../generated/prisma/client';

/**
 * The broker's Prisma client, for its tables other than instances (those are Kysely's: instances-table.ts). A
 * build's instances commit with the build: their statement is compiled by Kysely and sent through the
 * transaction's own client (`$executeRawUnsafe`). Not prisma-extension-kysely: it assigns each transaction's
 * Kysely onto a transaction client that concurrent transactions share, so a statement ran in whichever
 * transaction began last (test/transaction-isolation.test.ts).
 */
export function createBrokerPrisma(database: Database) {
  // Generous transaction limits: a 100-instance build commits in one transaction on a busy machine.
  return new PrismaClient({
    adapter: createPrismaAdapter(database),
    transactionOptions: { maxWait: 10_000, timeout: 30_000 },
  });
}

export type BrokerPrisma = ReturnType<typeof createBrokerPrisma>;

/** Inside `prisma.$transaction(async (tx) => …)`: the same model API, on the transaction's connection. */
export type BrokerPrismaTransaction = Parameters<Parameters<BrokerPrisma['$transaction']>[0]>[0];

export type BrokerPrismaExecutor = BrokerPrisma | BrokerPrismaTransaction;
