import { DatabaseOptionsError } from './errors';
import { assertSchemaName } from './identifiers';

/** A Prisma interactive-transaction client (`prisma.$transaction(async (tx) => …)`), structurally. */
export interface PrismaTransactionLike {
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
}

/** A pg `Client`/`PoolClient` (inside BEGIN … COMMIT) or a `Pool`, structurally. */
export interface PgQueryableLike {
  query(text: string, values?: unknown[]): Promise<{ rowCount: number | null }>;
}

/**
 * Runs one statement inside the caller's transaction, whatever drives it (Prisma or pg), and knows which
 * schema holds the platform tables. The schema is explicit so a statement means the same table whatever the
 * connection's search_path (the standalone process runs several services' pools on one database).
 */
export interface SqlExecutor {
  readonly schema: string;
  /** Runs `sql` with `$1…$n` bound to `values`; resolves to the number of rows affected. */
  execute(sql: string, values: readonly unknown[]): Promise<number>;
}

function isPrismaTransaction(value: object): value is PrismaTransactionLike {
  return typeof (value as Partial<PrismaTransactionLike>).$executeRawUnsafe === 'function';
}

function isPgQueryable(value: object): value is PgQueryableLike {
  return typeof (value as Partial<PgQueryableLike>).query === 'function';
}

/** Adapts a Prisma transaction client or a pg client to a SqlExecutor on `schema` (usually `database.schema`). */
export function sqlExecutor(transaction: PrismaTransactionLike | PgQueryableLike, schema: string): SqlExecutor {
  const checkedSchema = assertSchemaName(schema);
  if (typeof transaction !== 'object' || transaction === null) {
    throw new DatabaseOptionsError('transaction', 'must be a Prisma transaction client or a pg client');
  }
  if (isPrismaTransaction(transaction)) {
    return {
      schema: checkedSchema,
      execute: async (sql, values) => await transaction.$executeRawUnsafe(sql, ...values),
    };
  }
  if (isPgQueryable(transaction)) {
    return {
      schema: checkedSchema,
      execute: async (sql, values) => (await transaction.query(sql, [...values])).rowCount ?? 0,
    };
  }
  throw new DatabaseOptionsError('transaction', 'has neither $executeRawUnsafe (Prisma) nor query (pg)');
}
