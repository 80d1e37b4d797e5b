import type { Prisma, PrismaClient } from '../generated/prisma/client';

export type BrokerPrisma = PrismaClient;

/** Inside `prisma.$transaction(async (tx) => …)`: the same model API, one connection. */
export type BrokerPrismaTransaction = Prisma.TransactionClient;

export type BrokerPrismaExecutor = BrokerPrisma | BrokerPrismaTransaction;
