import { connectDatabase } from '../connect-database';
import type { DbLogger } from '../logger';
import { applyMigrations, type MigrationResult } from './apply-migrations';

export interface MigrateDatabaseOptions {
  url: string;
  schema: string;
  /** The service's `prisma/migrations` directory. */
  migrationsDir: string;
  logger?: DbLogger;
}

/** Connect, apply pending migrations, disconnect: what a service's `migrate` script or its start calls. */
export async function migrateDatabase(options: MigrateDatabaseOptions): Promise<MigrationResult> {
  const database = await connectDatabase({
    url: options.url,
    schema: options.schema,
    maxConnections: 2,
    logger: options.logger,
  });
  try {
    return await applyMigrations(database, options.migrationsDir, { logger: options.logger });
  } finally {
    await database.close();
  }
}

/**
 * For a service's `pnpm migrate` script: prints what it applied, or the error on stderr with exit
 * code 1 (never an unhandled rejection). Resolves to the process exit code it set.
 */
export async function runMigrateCommand(
  options: MigrateDatabaseOptions,
  output: { out: NodeJS.WritableStream; err: NodeJS.WritableStream } = { out: process.stdout, err: process.stderr },
): Promise<number> {
  try {
    const result = await migrateDatabase(options);
    const lines = result.applied.map((name) => `applied ${name}`);
    lines.push(
      `schema "${options.schema}" is up to date (${result.applied.length} applied, ${result.alreadyApplied.length} already applied)`,
    );
    output.out.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (error) {
    output.err.write(`migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
    return 1;
  }
}
