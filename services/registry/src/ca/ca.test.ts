import { x509 } from './x509';
import { createCertificateAuthority, createRootCertificate } from './certificate-authority';
import {
  exportPrivateKeyPem,
  exportPublicKeyPem,
  generateKeyPair,
  importPrivateKeyPem,
  publicKeyOf,
  signingAlgorithm,
} from './keys';

async function authority() {
  const keys = await generateKeyPair();
  const certificate = await createRootCertificate(keys, 'test registry');
  // Round-tripped through PEM, as the stored (sealed) key is.
  const privateKey = await importPrivateKeyPem(await exportPrivateKeyPem(keys.privateKey));
  return createCertificateAuthority({ certificate, privateKey });
}

describe('the registry CA', () => {
  it('signs a datacenter intermediate that is a CA one level down and chains to the root', async () => {
    const ca = await authority();
    const datacenterKeys = await generateKeyPair();
    const publicKey = await publicKeyOf({ publicKey: await exportPublicKeyPem(datacenterKeys.publicKey) }, 'body');
    const pem = await ca.issueIntermediate('dc-1', publicKey);
    const certificate = new x509.X509Certificate(pem);
    expect(certificate.subject).toBe('CN=dc-1, OU=datacenter, O=Overcast Registry');
    expect(certificate.getExtension(x509.BasicConstraintsExtension)).toMatchObject({ ca: true, pathLength: 0 });
    expect(await ca.verifies(pem)).toBe(true);
  });

  it('certifies the key inside a CSR, and refuses a CSR whose signature does not verify', async () => {
    const ca = await authority();
    const keys = await generateKeyPair();
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=me', keys, signingAlgorithm });
    const key = await publicKeyOf({ csr: csr.toString('pem') }, 'body');
    const leaf = new x509.X509Certificate(await ca.issueLeaf('account', 'acct-1', key));
    expect(leaf.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
    expect(leaf.publicKey.toString('pem')).toBe(await exportPublicKeyPem(keys.publicKey));
    const tampered = csr.toString('base64').replace(/.{8}$/, 'AAAAAAA=');
    await expect(publicKeyOf({ csr: tampered }, 'body')).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('answers bad_request naming the field for garbage key material', async () => {
    await expect(publicKeyOf({ publicKey: 'not a key' }, 'body')).rejects.toMatchObject({
      code: 'bad_request',
      details: [{ path: 'body.public_key' }],
    });
    await expect(publicKeyOf({}, 'body')).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('does not verify a certificate from another registry', async () => {
    const ours = await authority();
    const theirs = await authority();
    const keys = await generateKeyPair();
    const pem = await theirs.issueLeaf('deployment', 'd-1', keys.publicKey);
    expect(await ours.verifies(pem)).toBe(false);
  });
});
