import { randomBytes } from 'node:crypto';

/** A token on the wire: `<numeric id>-<32 hex>` (cloud-brain's format, kept so its clients keep working). */
export interface ParsedToken {
  id: number;
  /** The secret as lowercase hex; only its scrypt hash is stored. */
  secretHex: string;
}

// Ids are Postgres SERIALs; refusing anything longer keeps Number() exact and the lookup cheap.
const tokenPattern = /^([1-9][0-9]{0,9})-([0-9a-fA-F]{32})$/;
export const maxTokenId = 2_147_483_647;

/** Parse a presented token; null when it cannot be one of ours (then no database or scrypt work is done). */
export function parseToken(raw: string): ParsedToken | null {
  const match = tokenPattern.exec(raw.trim());
  if (!match?.[1] || !match[2]) return null;
  const id = Number(match[1]);
  if (id > maxTokenId) return null;
  return { id, secretHex: match[2].toLowerCase() };
}

export function formatToken(id: number, secretHex: string): string {
  return `${id}-${secretHex}`;
}

/** 16 random bytes, shown to the caller once as 32 hex characters. */
export function generateSecretHex(): string {
  return randomBytes(16).toString('hex');
}
