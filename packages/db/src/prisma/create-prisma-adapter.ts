import { PrismaPg } from '@prisma/adapter-pg';
import type { Database } from '../connect-database';

/**
 * The driver adapter for a service's generated PrismaClient: `new PrismaClient({ adapter: createPrismaAdapter(database) })`.
 * It shares the Database's pool (so NOTIFY wake-ups and pool limits cover Prisma's queries too) and
 * makes Prisma name `"schema"."Table"` in every query — required on the embedded server, where
 * search_path is shared by every service. The pool stays the Database's to close.
 */
export function createPrismaAdapter(database: Database): PrismaPg {
  return new PrismaPg(database.pool, { schema: database.schema, disposeExternalPool: false });
}
