import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for operator-supplied provider credentials at rest. Format (versioned so the scheme can
 * change without a flag day): `v1.<iv>.<tag>.<ciphertext>`, each part base64url; 12-byte random IV,
 * 16-byte tag. Optional associated data (say, the provider name) binds a ciphertext to its row, so a value
 * copied into another row does not decrypt.
 */
const version = 'v1';
const ivBytes = 12;
const tagBytes = 16;

export class SecretDecryptionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SecretDecryptionError';
  }
}

/** A 32-byte key from its environment form: 64 hex characters, or base64 / base64url of 32 bytes. */
export function parseEncryptionKey(value: string | undefined, variable = 'OVERCAST_ENCRYPTION_KEY'): Buffer {
  const text = (value ?? '').trim();
  if (!text) throw new TypeError(`${variable} is required: 32 random bytes as 64 hex characters or base64`);
  // Any even-length run of hex digits is read as hex, so a short hex key is reported by its byte count.
  const isHex = /^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0;
  if (!isHex && !/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    throw new TypeError(`${variable} must be 64 hex characters or base64 (it contains other characters)`);
  }
  const key = isHex ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new TypeError(`${variable} must encode exactly 32 bytes (it encodes ${key.length})`);
  return key;
}

function asKey(key: Buffer | string): Buffer {
  return typeof key === 'string' ? parseEncryptionKey(key) : key;
}

export function encryptSecret(plaintext: string, key: Buffer | string, associatedData?: string): string {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', asKey(key), iv, { authTagLength: tagBytes });
  if (associatedData !== undefined) cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [version, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

export function decryptSecret(encoded: string, key: Buffer | string, associatedData?: string): string {
  const parts = encoded.split('.');
  if (parts.length !== 4 || parts[0] !== version) {
    throw new SecretDecryptionError(
      `not an Overcast ${version} secret (expected "${version}.<iv>.<tag>.<ciphertext>")`,
    );
  }
  const [iv, tag, ciphertext] = parts.slice(1).map((part) => Buffer.from(part, 'base64url')) as [
    Buffer,
    Buffer,
    Buffer,
  ];
  if (iv.length !== ivBytes || tag.length !== tagBytes)
    throw new SecretDecryptionError('malformed secret: bad IV or tag length');
  try {
    const decipher = createDecipheriv('aes-256-gcm', asKey(key), iv, { authTagLength: tagBytes });
    if (associatedData !== undefined) decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch (error) {
    // Wrong key, tampered bytes or a different row: GCM cannot tell which, and must not say more.
    throw new SecretDecryptionError('secret failed authentication (wrong key or tampered data)', { cause: error });
  }
}

/** Provider config objects as one encrypted JSON string, and back. */
export function encryptJson(value: unknown, key: Buffer | string, associatedData?: string): string {
  return encryptSecret(JSON.stringify(value), key, associatedData);
}

export function decryptJson(encoded: string, key: Buffer | string, associatedData?: string): unknown {
  return JSON.parse(decryptSecret(encoded, key, associatedData)) as unknown;
}

/** Seals with one key what a service must not keep readable at rest; associated data binds a value to its place. */
export interface SecretBox {
  seal(plaintext: string, associatedData: string): string;
  open(sealed: string, associatedData: string): string;
}

/** A secret box over OVERCAST_ENCRYPTION_KEY's environment form (64 hex characters or base64 of 32 bytes). */
export function createSecretBox(encodedKey: string): SecretBox {
  const key = parseEncryptionKey(encodedKey, 'OVERCAST_ENCRYPTION_KEY');
  return {
    seal: (plaintext, associatedData) => encryptSecret(plaintext, key, associatedData),
    open: (sealed, associatedData) => decryptSecret(sealed, key, associatedData),
  };
}
