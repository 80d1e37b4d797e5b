import { randomBytes } from 'node:crypto';
import { x509 } from './x509';
import { signingAlgorithm, type CryptoKey, type CryptoKeyPair } from './keys';

const day = 24 * 60 * 60 * 1000;

/** Validity of what the registry issues; the root outlives every certificate it signs. */
export const validity = { rootDays: 3650, intermediateDays: 825, leafDays: 365 } as const;

export interface RootAuthority {
  certificate: x509.X509Certificate;
  privateKey: CryptoKey;
}

/** The kinds of identity the registry certifies; the subject's OU says which, so a verifier can tell them apart. */
export type IdentityKind = 'account' | 'datacenter' | 'deployment' | 'registry';

function serialNumber(): string {
  // 16 random bytes with the top bit clear: a positive serial, unpredictable (CA/B forum asks for ≥ 64 bits).
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

function distinguishedName(kind: IdentityKind, id: string): string {
  return `CN=${id}, OU=${kind}, O=Overcast Registry`;
}

/** The registry's self-signed root: a CA that may sign intermediates one level down (path length 1). */
export async function createRootCertificate(keys: CryptoKeyPair, name: string): Promise<x509.X509Certificate> {
  const now = new Date();
  return x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=${name}, O=Overcast Registry`,
    notBefore: now,
    notAfter: new Date(now.getTime() + validity.rootDays * day),
    keys,
    signingAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
}

export interface CertificateAuthority {
  /** A datacenter's intermediate: a CA that may sign leaves for its nodes (path length 0). */
  issueIntermediate(id: string, publicKey: x509.PublicKey): Promise<string>;
  /** A client or server leaf for an account or a deployment. */
  issueLeaf(kind: 'account' | 'deployment', id: string, publicKey: x509.PublicKey | CryptoKey): Promise<string>;
  /**
   * The registry's own server certificate for the agent endpoint (OU=registry: agents accept no other), valid for
   * the names and addresses agents dial.
   */
  issueRegistryServer(id: string, publicKey: CryptoKey, serverNames: string[]): Promise<string>;
  /** What a holder needs to verify the chain: the root, PEM. */
  caBundle(): string;
  /** Whether `pem` was signed by this registry's root and is within its validity now. */
  verifies(pem: string): Promise<boolean>;
}

export function createCertificateAuthority(root: RootAuthority): CertificateAuthority {
  async function issue(
    kind: IdentityKind,
    id: string,
    publicKey: x509.PublicKey | CryptoKey,
    extensions: x509.Extension[],
    days: number,
  ): Promise<string> {
    const now = new Date();
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject: distinguishedName(kind, id),
      issuer: root.certificate.subject,
      notBefore: now,
      notAfter: new Date(now.getTime() + days * day),
      publicKey,
      signingKey: root.privateKey,
      signingAlgorithm,
      extensions: [
        ...extensions,
        await x509.AuthorityKeyIdentifierExtension.create(root.certificate, false),
        await x509.SubjectKeyIdentifierExtension.create(publicKey),
      ],
    });
    return certificate.toString('pem');
  }

  return {
    issueIntermediate: (id, publicKey) =>
      issue(
        'datacenter',
        id,
        publicKey,
        [
          new x509.BasicConstraintsExtension(true, 0, true),
          new x509.KeyUsagesExtension(
            x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.cRLSign,
            true,
          ),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
        ],
        validity.intermediateDays,
      ),
    issueLeaf: (kind, id, publicKey) =>
      issue(
        kind,
        id,
        publicKey,
        [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth, x509.ExtendedKeyUsage.serverAuth]),
        ],
        validity.leafDays,
      ),
    issueRegistryServer: (id, publicKey, serverNames) =>
      issue(
        'registry',
        id,
        publicKey,
        [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
          new x509.SubjectAlternativeNameExtension(
            serverNames.map((name) =>
              /^[\d.]+$|:/.test(name) ? { type: 'ip' as const, value: name } : { type: 'dns' as const, value: name },
            ),
          ),
        ],
        validity.leafDays,
      ),
    caBundle: () => root.certificate.toString('pem'),
    async verifies(pem) {
      const certificate = new x509.X509Certificate(pem);
      const now = new Date();
      if (certificate.notBefore > now || certificate.notAfter < now) return false;
      if (certificate.issuer !== root.certificate.subject) return false;
      return certificate.verify({ publicKey: root.certificate.publicKey, signatureOnly: true });
    },
  };
}
