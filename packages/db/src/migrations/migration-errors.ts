/** An applied migration's file changed since: applying anything on top would build on an unknown schema. */
export class MigrationChecksumMismatchError extends Error {
  readonly migration: string;

  constructor(migration: string, recorded: string, actual: string) {
    super(
      `migration "${migration}" was modified after it was applied (checksum in _prisma_migrations ${recorded}, ` +
        `file now ${actual}); restore the file, or add a new migration instead of editing an applied one`,
    );
    this.name = 'MigrationChecksumMismatchError';
    this.migration = migration;
  }
}

/** A migration's SQL failed; its transaction was rolled back, so the database is as before it. */
export class MigrationFailedError extends Error {
  readonly migration: string;

  constructor(migration: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`migration "${migration}" failed and was rolled back: ${detail}`, { cause });
    this.name = 'MigrationFailedError';
    this.migration = migration;
  }
}

/**
 * `_prisma_migrations` holds a started-but-unfinished row (left by `prisma migrate deploy`, which does
 * not wrap migrations in a transaction): the schema may be half-changed, so a human must decide.
 */
export class UnfinishedMigrationError extends Error {
  readonly migration: string;

  constructor(migration: string, logs: string | null) {
    super(
      `migration "${migration}" started earlier but never finished${logs ? ` (${logs.split('\n')[0]})` : ''}; ` +
        `fix the schema by hand, then mark it with \`prisma migrate resolve --rolled-back ${migration}\` ` +
        `or \`--applied ${migration}\``,
    );
    this.name = 'UnfinishedMigrationError';
    this.migration = migration;
  }
}
