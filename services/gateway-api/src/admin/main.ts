import { isAppError } from '@overcast/contracts';
import { applyMigrations, connectDatabase } from '@overcast/db';
import { loadAdminConfigOrExit } from '../config';
import { migrationsDirectory } from '../migrations-directory';
import { createGatewayAdmin } from './gateway-admin';
import { adminUsage, runAdminCommand, UsageError } from './run-admin-command';

/** `overcast-admin`: migrate the gateway's database, run one command, exit. */
async function main(): Promise<number> {
  const config = loadAdminConfigOrExit();
  const database = await connectDatabase({ url: config.databaseUrl, schema: config.databaseSchema });
  const admin = createGatewayAdmin(database);
  try {
    await applyMigrations(database, migrationsDirectory);
    await runAdminCommand(process.argv.slice(2), admin, (line) => process.stdout.write(`${line}\n`));
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      process.stderr.write(`overcast-admin: ${error.message}\n${adminUsage}\n`);
      return 2;
    }
    process.stderr.write(`overcast-admin: ${isAppError(error) ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await admin.close();
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`overcast-admin: ${String(error)}\n`);
    process.exit(1);
  },
);
