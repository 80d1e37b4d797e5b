import { testPostgresUrl } from '@overcast/test-kit';
import { Client } from 'pg';

/** Server processes serving connections to these databases right now (their pools keep them open). */
export async function backendPidsOf(databaseNames: string[]): Promise<number[]> {
  const client = new Client({ connectionString: testPostgresUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = ANY($1)', [
      databaseNames,
    ]);
    return rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}
