import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type CompiledQuery,
  type RawBuilder,
} from 'kysely';

// A Kysely that never connects, as Kysely's docs advise for compiling queries only: it turns the statements this
// package builds with `sql` into text and values for whatever runs them (a Prisma transaction, a pg client).
const compiler = new Kysely<Record<string, never>>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/** The statement's text with `$1…$n` and its values in that order (numbered by Kysely, never by hand). */
export function compileSql(statement: RawBuilder<unknown>): CompiledQuery<unknown> {
  return statement.compile(compiler);
}
