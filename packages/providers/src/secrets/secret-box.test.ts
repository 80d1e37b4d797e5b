import { randomBytes } from 'node:crypto';
import {
  decryptJson,
  decryptSecret,
  encryptJson,
  encryptSecret,
  parseEncryptionKey,
  SecretDecryptionError,
} from './secret-box';

const key = randomBytes(32);

function flipFirstByte(part: string): string {
  const bytes = Buffer.from(part, 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  return bytes.toString('base64url');
}

describe('secret box (AES-256-GCM)', () => {
  it('round-trips a secret through the versioned format', () => {
    const encoded = encryptSecret('{"private_key":"-----BEGIN…"}', key);

    expect(encoded).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(decryptSecret(encoded, key)).toBe('{"private_key":"-----BEGIN…"}');
  });

  it('uses a fresh IV every time, so equal secrets encrypt differently', () => {
    expect(encryptSecret('same', key)).not.toBe(encryptSecret('same', key));
  });

  it.each([
    ['ciphertext', 3],
    ['auth tag', 2],
    ['IV', 1],
  ])('detects a tampered %s', (_part, index) => {
    const parts = encryptSecret('top secret', key).split('.');
    parts[index] = flipFirstByte(parts[index] ?? '');

    expect(() => decryptSecret(parts.join('.'), key)).toThrow(SecretDecryptionError);
  });

  it('refuses the wrong key', () => {
    expect(() => decryptSecret(encryptSecret('top secret', key), randomBytes(32))).toThrow(
      'wrong key or tampered data',
    );
  });

  it('binds a secret to its associated data (a value moved to another row does not decrypt)', () => {
    const encoded = encryptSecret('aws keys', key, 'provider:aws-prod');

    expect(decryptSecret(encoded, key, 'provider:aws-prod')).toBe('aws keys');
    expect(() => decryptSecret(encoded, key, 'provider:aws-staging')).toThrow(SecretDecryptionError);
  });

  it('rejects strings that are not in the v1 format', () => {
    expect(() => decryptSecret('plain text', key)).toThrow('not an Overcast v1 secret');
    expect(() => decryptSecret('v2.a.b.c', key)).toThrow(SecretDecryptionError);
    expect(() => decryptSecret('v1.AAAA.AAAA.AAAA', key)).toThrow('bad IV or tag length');
  });

  it('round-trips provider config objects as JSON', () => {
    const config = { projectId: 'p', credentials: { client_email: 'a@b', private_key: 'k' } };

    expect(decryptJson(encryptJson(config, key), key)).toEqual(config);
  });

  describe('parseEncryptionKey', () => {
    it('accepts 64 hex characters, base64 and base64url of 32 bytes', () => {
      expect(parseEncryptionKey(key.toString('hex'))).toEqual(key);
      expect(parseEncryptionKey(key.toString('base64'))).toEqual(key);
      expect(parseEncryptionKey(` ${key.toString('base64url')}\n`)).toEqual(key);
    });

    it('accepts the env form directly as the key argument', () => {
      const hex = key.toString('hex');
      expect(decryptSecret(encryptSecret('x', hex), key)).toBe('x');
    });

    it('names the variable when the key is missing or the wrong size', () => {
      expect(() => parseEncryptionKey(undefined, 'PROVIDER_ENCRYPTION_KEY')).toThrow(
        'PROVIDER_ENCRYPTION_KEY is required',
      );
      expect(() => parseEncryptionKey(randomBytes(16).toString('hex'))).toThrow(
        'OVERCAST_ENCRYPTION_KEY must encode exactly 32 bytes (it encodes 16)',
      );
      expect(() => parseEncryptionKey('not a key!')).toThrow('must be 64 hex characters or base64');
    });
  });
});
