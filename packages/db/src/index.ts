export { connectDatabase, type ConnectDatabaseOptions, type Database } from './connect-database';
export type { NotificationHandler, Unlisten } from './database-notifications';
export { DatabaseOptionsError } from './errors';
export { qualified } from './identifiers';
export { silentLogger, type DbLogger } from './logger';
// The per-turn batcher lives in @overcast/pacing (messaging's batches use it too); kept here for its callers.
export { batchPerTurn } from '@overcast/pacing';
export { compileSql } from './compile-sql';
export { inTransaction } from './in-transaction';
export { sqlExecutor, type PgQueryableLike, type PrismaTransactionLike, type SqlExecutor } from './sql-executor';
export { ensurePlatformTables } from './platform-tables';

export { applyMigrations, type MigrationResult } from './migrations/apply-migrations';
export { migrateDatabase, runMigrateCommand, type MigrateDatabaseOptions } from './migrations/migrate-database';
export { migrationChecksum } from './migrations/checksum';
export {
  MigrationChecksumMismatchError,
  MigrationFailedError,
  UnfinishedMigrationError,
} from './migrations/migration-errors';

export { addToOutbox, outboxColumns, outboxInsert, type MessageKind, type OutboxColumns } from './outbox/add-to-outbox';
export { createOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from './outbox/outbox-relay';
export { countOutbox } from './outbox/outbox-store';
export { registerOutboxMetrics } from './outbox/outbox-metrics';

export { inboxEntry, inboxInsert, pruneInbox, runOnce, type InboxEntry } from './inbox/run-once';

export { createExclusiveJob, type ExclusiveJob, type ExclusiveJobOptions, type JobContext } from './jobs/exclusive-job';

export {
  startEmbeddedPostgres,
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
} from './embedded/start-embedded-postgres';
export { findRunningEmbeddedPostgres } from './embedded/running-server';

export { createPrismaAdapter } from './prisma/create-prisma-adapter';
