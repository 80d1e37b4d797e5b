import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretBox } from './domain/secret-box';

const version = 'v1';

/** AES-256-GCM with a random 96-bit nonce: `v1:<nonce b64url>:<ciphertext b64url>:<tag b64url>`. */
export function createSecretBox(keyHex: string): SecretBox {
  const key = Buffer.from(keyHex, 'hex');
  if (key.length !== 32) throw new TypeError('secrets key must be 32 bytes (64 hex characters)');
  return {
    seal(plaintext) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [version, nonce, sealed, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join(':');
    },
    open(sealedText) {
      const [prefix, nonce, sealed, tag] = sealedText.split(':');
      if (prefix !== version || !nonce || sealed === undefined || !tag) throw new Error('not a sealed secret of this format');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
