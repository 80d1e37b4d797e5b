import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface BuildSecret {
  /** Goes into the user data only (encrypted at rest); never stored in clear. */
  secret: string;
  salt: Uint8Array;
  hash: Uint8Array;
}

function hashOf(secret: string, salt: Uint8Array): Uint8Array {
  return createHmac('sha256', salt).update(secret, 'utf8').digest();
}

/**
 * A 192-bit random secret for Basic `x:<secret>`. A salted HMAC suffices (no scrypt): the secret is random,
 * not a password, so there is nothing for a slow hash to protect against guessing.
 */
export function generateBuildSecret(): BuildSecret {
  const secret = randomBytes(24).toString('hex');
  const salt = randomBytes(16);
  return { secret, salt, hash: hashOf(secret, salt) };
}

/** Constant-time comparison. */
export function verifyBuildSecret(secret: string, salt: Uint8Array, hash: Uint8Array): boolean {
  const candidate = hashOf(secret, salt);
  return candidate.length === hash.length && timingSafeEqual(candidate, hash);
}
