import type { CertificateAuthority } from '../ca/certificate-authority';
import { createCertificateAuthority, createRootCertificate } from '../ca/certificate-authority';
import { exportPrivateKeyPem, generateKeyPair, importPrivateKeyPem } from '../ca/keys';
import { x509 } from '../ca/x509';
import type { RegistryStore } from './ports';

export interface SecretBox {
  seal(plaintext: string, associatedData: string): string;
  open(sealed: string, associatedData: string): string;
}

/**
 * The registry's root CA: made on the first start (its key sealed at rest), read on every later one. The key's
 * associated data binds the sealed text to its row, so a sealed key copied elsewhere does not open.
 */
export async function openRegistryAuthority(store: RegistryStore, secretBox: SecretBox): Promise<CertificateAuthority> {
  const root = await store.rootAuthority(async () => {
    const keys = await generateKeyPair();
    const certificate = await createRootCertificate(keys, 'Overcast Registry Root CA');
    return {
      certificatePem: certificate.toString('pem'),
      sealedPrivateKey: secretBox.seal(await exportPrivateKeyPem(keys.privateKey), 'authority:root'),
    };
  });
  return createCertificateAuthority({
    certificate: new x509.X509Certificate(root.certificatePem),
    privateKey: await importPrivateKeyPem(secretBox.open(root.sealedPrivateKey, 'authority:root')),
  });
}
