import { createPrismaAdapter, type Database } from '@overcast/db';
import { PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import kyselyExtension from 'prisma-extension-kysely';
import { PrismaClient } from '../generated/prisma/client';
import { instanceTablesKysely } from './instances-table';

/**
 * The broker's Prisma client, for its other tables, with `$kysely` (prisma-extension-kysely): the instances
 * table's statements run through Prisma's own connection inside a `$transaction`, so a build's instances commit
 * with the build. Outside transactions they run on the pool (instanceTablesOnPool).
 */
export function createBrokerPrisma(database: Database) {
  // Generous transaction limits: a 100-instance build commits in one transaction on a busy machine.
  const prisma = new PrismaClient({
    adapter: createPrismaAdapter(database),
    transactionOptions: { maxWait: 10_000, timeout: 30_000 },
  });
  return prisma.$extends(
    kyselyExtension({
      kysely: (driver) =>
        instanceTablesKysely({
          createAdapter: () => new PostgresAdapter(),
          createDriver: () => driver,
          createIntrospector: (db) => new PostgresIntrospector(db),
          createQueryCompiler: () => new PostgresQueryCompiler(),
        }),
    }),
  );
}

export type BrokerPrisma = ReturnType<typeof createBrokerPrisma>;

/** Inside `prisma.$transaction(async (tx) => …)`: the same model API and `$kysely`, one connection. */
export type BrokerPrismaTransaction = Parameters<Parameters<BrokerPrisma['$transaction']>[0]>[0];

export type BrokerPrismaExecutor = BrokerPrisma | BrokerPrismaTransaction;
