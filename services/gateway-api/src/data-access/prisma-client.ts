import { createPrismaAdapter, type Database } from '@overcast/db';
import { PrismaClient } from '../generated/prisma/client';

export type GatewayPrisma = PrismaClient;

/** @overcast/db's Database: the shared pool and the gateway's own schema. */
export type GatewayDatabase = Database;

/** Prisma over the database's pool; queries name the schema explicitly (the embedded server ignores search_path). */
export function createGatewayPrisma(database: GatewayDatabase): GatewayPrisma {
  return new PrismaClient({ adapter: createPrismaAdapter(database) });
}

/** Readiness: the database answers a trivial query. */
export async function pingDatabase(database: GatewayDatabase): Promise<void> {
  await database.pool.query('SELECT 1');
}
