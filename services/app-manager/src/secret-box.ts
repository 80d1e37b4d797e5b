import { decryptSecret, encryptSecret, parseEncryptionKey } from '@overcast/providers';
import type { SecretBox } from './domain/secret-box';

/** The providers package's AES-256-GCM secret format, with the app manager's key (hex or base64 of 32 bytes). */
export function createSecretBox(encodedKey: string): SecretBox {
  const key = parseEncryptionKey(encodedKey, 'OVERCAST_ENCRYPTION_KEY');
  return {
    seal: (plaintext, associatedData) => encryptSecret(plaintext, key, associatedData),
    open: (sealed, associatedData) => decryptSecret(sealed, key, associatedData),
  };
}
