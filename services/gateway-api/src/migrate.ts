import { runMigrateCommand } from '@overcast/db';
import { loadDatabaseConfigOrExit } from './config';
import { migrationsDirectory } from './migrations-directory';

/** The init container / compose migrate job (as the broker's): apply pending migrations, print them, exit. */
const config = loadDatabaseConfigOrExit();
void runMigrateCommand({ url: config.databaseUrl, schema: config.databaseSchema, migrationsDir: migrationsDirectory });
