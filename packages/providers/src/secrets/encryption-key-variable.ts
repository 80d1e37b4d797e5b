import { z } from 'zod';
import { parseEncryptionKey } from './secret-box';

/** OVERCAST_ENCRYPTION_KEY in a service's config schema: required, and refused unless it encodes 32 bytes. */
export function encryptionKeyVariable() {
  return z
    .string({ error: 'is required (64 hex characters or base64 of 32 bytes)' })
    .refine(isEncryptionKey, 'must be 64 hex characters or base64 of 32 bytes');
}

function isEncryptionKey(value: string): boolean {
  try {
    parseEncryptionKey(value);
    return true;
  } catch {
    return false;
  }
}
