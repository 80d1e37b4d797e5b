import { runMigrateCommand } from '@overcast/db';
import { loadMigrateConfigOrExit } from './config';
import { appManagerMigrationsDir } from './service';

/** The init container / compose migrate job: apply pending migrations, print what happened, exit. */
const config = loadMigrateConfigOrExit();
void runMigrateCommand({
  url: config.DATABASE_URL,
  schema: config.DATABASE_SCHEMA,
  migrationsDir: appManagerMigrationsDir,
});
