import { DatabaseOptionsError } from './errors';
import { sqlExecutor } from './sql-executor';

describe('sqlExecutor', () => {
  it('passes a Prisma transaction the values as separate arguments and returns its row count', async () => {
    const calls: unknown[][] = [];
    const prismaTransaction = {
      $executeRawUnsafe: async (sql: string, ...values: unknown[]) => {
        calls.push([sql, ...values]);
        return 1;
      },
    };

    const affected = await sqlExecutor(prismaTransaction, 'billing').execute('INSERT $1 $2', ['a', 2]);

    expect(affected).toBe(1);
    expect(calls).toEqual([['INSERT $1 $2', 'a', 2]]);
  });

  it('passes a pg client the values as one array and reads rowCount (null as 0)', async () => {
    const calls: unknown[] = [];
    const pgClient = {
      query: async (sql: string, values?: unknown[]) => {
        calls.push({ sql, values });
        return { rowCount: null };
      },
    };

    expect(await sqlExecutor(pgClient, 'billing').execute('DELETE', [1])).toBe(0);
    expect(calls).toEqual([{ sql: 'DELETE', values: [1] }]);
  });

  it('carries the schema it was given', () => {
    expect(sqlExecutor({ query: async () => ({ rowCount: 0 }) }, 'billing').schema).toBe('billing');
  });

  it('refuses something that is neither, and a bad schema, naming the field', () => {
    expect(() => sqlExecutor({} as never, 'billing')).toThrow(/^transaction: has neither/);
    expect(() => sqlExecutor(null as never, 'billing')).toThrow(DatabaseOptionsError);
    expect(() => sqlExecutor({ query: async () => ({ rowCount: 0 }) }, 'drop table;')).toThrow(/^schema: /);
  });
});
