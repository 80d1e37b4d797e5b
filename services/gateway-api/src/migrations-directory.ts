import path from 'node:path';

/**
 * The gateway's migrations, for @overcast/db's `applyMigrations(database, migrationsDirectory)`. Applied before the
 * service starts, never by it, as for every service: deployed, by src/migrate.ts (an initContainer, a compose job),
 * so a failed migration stops a rollout before any replica starts; in one process (standalone, tests), first.
 */
export const migrationsDirectory = path.resolve(__dirname, '..', 'prisma', 'migrations');
