import { isAppError } from '@overcast/contracts';
import { applyMigrations, connectDatabase } from '@overcast/db';
import { migrationsDirectory } from '../migrations-directory';
import { createGatewayAdmin } from './gateway-admin';
import { adminUsage, runAdminCommand, UsageError } from './run-admin-command';

export interface AdminCliInput {
  databaseUrl: string;
  databaseSchema: string;
  argv: string[];
  write: { out(line: string): void; err(line: string): void };
}

/** `overcast-admin`: migrate the gateway's database, run one command; resolves to the exit code (2: usage). */
export async function runAdminCli({ databaseUrl, databaseSchema, argv, write }: AdminCliInput): Promise<number> {
  const database = await connectDatabase({ url: databaseUrl, schema: databaseSchema });
  const admin = createGatewayAdmin(database);
  try {
    await applyMigrations(database, migrationsDirectory);
    await runAdminCommand(argv, admin, write.out);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      write.err(`overcast-admin: ${error.message}\n${adminUsage}`);
      return 2;
    }
    write.err(`overcast-admin: ${isAppError(error) ? error.message : String(error)}`);
    return 1;
  } finally {
    await admin.close();
    await database.close();
  }
}
