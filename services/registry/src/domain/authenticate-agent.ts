import { X509Certificate } from 'node:crypto';
import { AppError } from '@overcast/contracts';
import type { RegistryStore } from './ports';

/** Who the agent's TLS client certificate names, after TLS checked its chain to the registry's root and its dates. */
export interface AgentPeer {
  /** The certificate, DER, as presented. */
  certificate: Buffer;
  /** Its subject's OU and CN. */
  kind: string;
  id: string;
}

/**
 * Every call on the agent endpoint speaks for one datacenter: the certificate must be a datacenter's (not an
 * account's or a deployment's), of the datacenter the call names, and that datacenter's current one: a deleted
 * datacenter's certificate (or one replaced since) no longer answers, which is how the registry revokes it.
 */
export function createAgentAuthentication(deps: { store: RegistryStore }) {
  return async function authenticateAgent(peer: AgentPeer, datacenterId: string) {
    if (peer.kind !== 'datacenter')
      throw new AppError('forbidden', `a ${peer.kind} certificate cannot speak for a datacenter`);
    if (peer.id !== datacenterId)
      throw new AppError('forbidden', `the certificate is datacenter ${peer.id}'s, not ${datacenterId}'s`);
    const current = await deps.store.findDatacenterCredentials(datacenterId);
    if (!current) throw new AppError('unauthenticated', 'the datacenter no longer exists: its certificate is revoked');
    if (!new X509Certificate(current.certificatePem).raw.equals(peer.certificate))
      throw new AppError('unauthenticated', "the certificate is not the datacenter's current one: it is revoked");
    return current;
  };
}

export type AuthenticateAgent = ReturnType<typeof createAgentAuthentication>;
