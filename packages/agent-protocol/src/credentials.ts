import { X509Certificate } from 'node:crypto';
import { credentials, ServerCredentials, type ChannelCredentials } from '@grpc/grpc-js';
import { identityOf } from './identity';

/** PEM files as an operator keeps them: the datacenter's certificate and key, and the registry's CA bundle. */
export interface AgentCredentialFiles {
  certificate: string;
  privateKey: string;
  caBundle: string;
}

/**
 * The registry's side: only clients whose certificate chains to the registry's root (TLS checks the signature and
 * the validity period), and only them: a client without a certificate never gets a handshake.
 */
export function registryServerCredentials(options: {
  caBundle: string;
  certificate: string;
  privateKey: string;
}): ServerCredentials {
  return ServerCredentials.createSsl(
    Buffer.from(options.caBundle),
    [{ cert_chain: Buffer.from(options.certificate), private_key: Buffer.from(options.privateKey) }],
    true,
  );
}

/**
 * The agent's side: its datacenter certificate as the client certificate, and a server that must be the
 * registry: chained to the CA bundle (TLS), and certified as the registry (OU=registry), not as a datacenter or
 * an account of the same CA. The host name is not what identifies it: the certificate's identity is.
 */
export function agentChannelCredentials(files: AgentCredentialFiles): ChannelCredentials {
  return credentials.createSsl(
    Buffer.from(files.caBundle),
    Buffer.from(files.privateKey),
    Buffer.from(files.certificate),
    {
      checkServerIdentity: (_host, certificate) => {
        const identity = identityOf(new X509Certificate(certificate.raw));
        if (identity?.kind === 'registry') return undefined;
        return new Error(`the server is not the registry (its certificate names ${identity?.kind ?? 'nothing'})`);
      },
    },
  );
}
