import type { Database } from '../connect-database';
import { qualified } from '../identifiers';

/**
 * Takes the lease when free or expired, or extends it when `holder` already has it — one statement,
 * judged by the database's clock only, so replicas' clocks never need to agree. Resolves to null when
 * another holder has it, else to how long until the job is due (from the last finished run, whoever ran it).
 */
export async function acquireOrRenewLease(
  database: Database,
  name: string,
  holder: string,
  leaseMs: number,
  intervalMs: number,
): Promise<{ dueInMs: number } | null> {
  const result = await database.pool.query<{ due_in_ms: number }>(
    `INSERT INTO ${qualified(database.schema, '_overcast_job_leases')} AS l (name, holder, expires_at)
     VALUES ($1, $2, now() + $3::float8 * interval '1 millisecond')
     ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
       WHERE l.holder = EXCLUDED.holder OR l.expires_at <= now()
     RETURNING GREATEST(0, COALESCE(
       EXTRACT(EPOCH FROM (l.last_finished_at + $4::float8 * interval '1 millisecond' - now())) * 1000, 0))::float8 AS due_in_ms`,
    [name, holder, leaseMs, intervalMs],
  );
  const row = result.rows[0];
  return row ? { dueInMs: row.due_in_ms } : null;
}

export async function recordJobFinished(database: Database, name: string, holder: string): Promise<void> {
  await database.pool.query(
    `UPDATE ${qualified(database.schema, '_overcast_job_leases')} SET last_finished_at = now() WHERE name = $1 AND holder = $2`,
    [name, holder],
  );
}

/** Expires our lease now, so a standby takes over on its next try instead of after the lease. */
export async function releaseLease(database: Database, name: string, holder: string): Promise<void> {
  await database.pool.query(
    `UPDATE ${qualified(database.schema, '_overcast_job_leases')} SET expires_at = now() WHERE name = $1 AND holder = $2`,
    [name, holder],
  );
}
