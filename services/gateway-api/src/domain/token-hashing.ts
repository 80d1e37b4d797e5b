import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// DESIGN.md: scrypt(secret, salt, N=16384, r=8, p=1, 32). ~30-47 ms on the thread pool, so it is paid
// once per token per cache lifetime, never per request. 32 MB maxmem leaves room for N*r*128 = 16 MB.
const scryptOptions = { N: 16384, r: 8, p: 1, maxmem: 32 * 1024 * 1024 } as const;
const hashLength = 32;

export function generateSalt(): Buffer {
  return randomBytes(32);
}

/** Hash the secret's bytes (the hex is decoded first, like cloud-brain). */
export function hashSecret(secretHex: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(Buffer.from(secretHex, 'hex'), salt, hashLength, scryptOptions, (error, derived) => {
      if (error) reject(error);
      else resolve(derived);
    });
  });
}

/** Constant-time comparison of a freshly derived hash with the stored one. */
export async function secretMatches(secretHex: string, salt: Buffer, storedHash: Buffer): Promise<boolean> {
  const derived = await hashSecret(secretHex, salt);
  return derived.length === storedHash.length && timingSafeEqual(derived, storedHash);
}
