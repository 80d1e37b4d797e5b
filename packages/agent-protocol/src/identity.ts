import { X509Certificate } from 'node:crypto';

/**
 * Who a certificate of the registry's CA names: the subject's OU is the kind (registry, datacenter, account,
 * deployment) and its CN the id. The CA writes both (services/registry/src/ca), so a verifier can tell a
 * datacenter from the registry, and one datacenter from another, once TLS has checked the chain.
 */
export interface CertifiedIdentity {
  kind: string;
  id: string;
}

function field(subject: string, name: string): string | undefined {
  return subject
    .split('\n')
    .find((line) => line.startsWith(`${name}=`))
    ?.slice(name.length + 1);
}

export function identityOf(certificate: X509Certificate | string | Buffer): CertifiedIdentity | null {
  const parsed = certificate instanceof X509Certificate ? certificate : new X509Certificate(certificate);
  const kind = field(parsed.subject, 'OU');
  const id = field(parsed.subject, 'CN');
  return kind === undefined || id === undefined ? null : { kind, id };
}
