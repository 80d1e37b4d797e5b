import { qualified } from '@overcast/db';

/** First key of the two-key advisory lock that serializes the storing of an account's activity ('ovia'). */
const accountActivityLockClass = 0x6f766961;
/** First key of the one that serializes the writing of a tenant's images ('ovim'). */
const tenantImagesLockClass = 0x6f76696d;

/**
 * Held until the transaction ends by whatever adds an account's instances or events, before anything else it locks:
 * a file's new instances are then plainly INSERTed and its events COPYed with no ON CONFLICT, because nobody else
 * adds that account's rows between the look-up of what is stored and the write. Taking it twice is harmless.
 */
export function accountActivityLock(accountId: number): { text: string; values: number[] } {
  return { text: 'SELECT pg_advisory_xact_lock($1, $2)', values: [accountActivityLockClass, accountId] };
}

/** The same lock, taken only if the tenant has the account: no row when it has not (nothing locked). */
export function tenantAccountActivityLock(
  schema: string,
  tenantId: string,
  accountId: number,
): { text: string; values: (string | number)[] } {
  return {
    text: `SELECT pg_advisory_xact_lock($1, id) FROM ${qualified(schema, 'cloud_accounts')} WHERE id = $2 AND tenant_id = $3`,
    values: [accountActivityLockClass, accountId, tenantId],
  };
}

/**
 * Taken, after the account's lock, by a transaction before it adds or tags any of the tenant's images (the images are
 * the tenant's, shared by its accounts): two files of two accounts making or tagging the same images in crossed
 * orders would otherwise each wait for the other's rows, a deadlock Postgres ends by failing one of the files.
 */
export function tenantImagesLock(tenantId: string): { text: string; values: (string | number)[] } {
  return { text: 'SELECT pg_advisory_xact_lock($1, hashtext($2))', values: [tenantImagesLockClass, tenantId] };
}
