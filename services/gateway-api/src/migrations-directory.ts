import path from 'node:path';

/** The gateway's migrations, for @overcast/db's `applyMigrations(database, migrationsDirectory)`. */
export const migrationsDirectory = path.resolve(__dirname, '..', 'prisma', 'migrations');
