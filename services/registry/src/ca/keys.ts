import { webcrypto } from 'node:crypto';
import { x509 } from './x509';
import { AppError } from '@overcast/contracts';

export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;

/** Every key the registry makes or signs with: ECDSA P-256, signatures with SHA-256. */
export const keyAlgorithm = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' } as const;

export async function generateKeyPair(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(keyAlgorithm, true, ['sign', 'verify']);
}

export async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
}

export async function importPrivateKeyPem(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decode(pem)[0];
  if (!der) throw new Error('not a PEM private key');
  return webcrypto.subtle.importKey('pkcs8', der, keyAlgorithm, false, ['sign']);
}

export interface KeyMaterial {
  /** A PEM `PUBLIC KEY` (SubjectPublicKeyInfo). */
  publicKey?: string;
  /** A PEM PKCS #10 request; its signature proves the caller holds the private key. */
  csr?: string;
}

/**
 * The public key a caller sends to be certified, from a PEM public key or a CSR (whose self-signature is checked).
 * Anything unreadable is the caller's mistake: bad_request naming the field, never a 500.
 */
export async function publicKeyOf(material: KeyMaterial, field: string): Promise<x509.PublicKey> {
  try {
    if (material.csr !== undefined) {
      const request = new x509.Pkcs10CertificateRequest(material.csr);
      if (!(await request.verify())) throw new Error('its signature does not verify');
      return request.publicKey;
    }
    if (material.publicKey !== undefined) {
      const key = new x509.PublicKey(material.publicKey);
      await key.export(); // refuses a key WebCrypto cannot use
      return key;
    }
  } catch (error) {
    const which = material.csr !== undefined ? `${field}.csr` : `${field}.public_key`;
    throw new AppError('bad_request', 'The key material is not usable.', {
      details: [{ path: which, message: `not a usable PEM: ${(error as Error).message}` }],
    });
  }
  throw new AppError('bad_request', 'A public key or a CSR is required.', {
    details: [{ path: `${field}.public_key`, message: 'give public_key or csr' }],
  });
}

/** A public key as a PEM `PUBLIC KEY`, as clients send theirs. */
export async function exportPublicKeyPem(key: CryptoKey): Promise<string> {
  const spki = await webcrypto.subtle.exportKey('spki', key);
  return x509.PemConverter.encode(spki, 'PUBLIC KEY');
}
