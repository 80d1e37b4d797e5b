// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import { createServer, Agent, type Server } from 'node:https';
import { connect } from 'node:tls';
import type { AddressInfo, Socket } from 'node:net';
import { createSign, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as never);

const snsHost = 'sns.us-east-1.amazonaws.com';
/** Where SNS would publish its certificate: the library accepts only URLs of this form. */
export const signingCertUrl = `https://${snsHost}/SimpleNotificationService-0123456789abcdef0123456789abcdef.pem`;

export type SnsFields = Record<string, string>;

/** The fields SNS signs, in its order, by message type (AWS's "verifying the signatures of SNS messages"). */
const signedFields: Record<string, string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

export interface SnsSigner {
  /** Reaches the loopback server whatever host the URL names, trusting only its certificate. */
  agent: Agent;
  /** The message with SignatureVersion 1, its signature and the certificate URL, as SNS would post it. */
  sign(fields: SnsFields): SnsFields;
  /** Certificate downloads the server answered. */
  downloads(): number;
  close(): Promise<void>;
}

async function selfSigned() {
  const algorithm = {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048,
  };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${snsHost}`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    keys: keys as never,
    signingAlgorithm: algorithm,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: snsHost }])],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END PRIVATE KEY-----\n`;
  return { certificate: certificate.toString('pem'), key };
}

/**
 * The test's own SNS: one RSA key whose self-signed certificate (for sns.us-east-1.amazonaws.com) signs the
 * messages and is served, over TLS with that same certificate, at `signingCertUrl` by a loopback server that the
 * returned agent reaches (sns-payload-validator's `requestAgent`, the hook its authors give for this).
 */
export async function startSnsSigner(): Promise<SnsSigner> {
  const { certificate, key } = await selfSigned();
  let downloads = 0;
  const server: Server = createServer({ cert: certificate, key }, (req, res) => {
    downloads += 1;
    if (req.url !== new URL(signingCertUrl).pathname) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'application/x-pem-file' }).end(certificate);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  class LoopbackAgent extends Agent {
    override createConnection(_options: unknown, callback?: (error: Error | null, socket: Socket) => void): Socket {
      return connect({ host: '127.0.0.1', port, servername: snsHost, ca: certificate }, function (this: Socket) {
        callback?.(null, this);
      });
    }
  }
  const agent = new LoopbackAgent({ keepAlive: false });
  return {
    agent,
    sign(fields) {
      const message: SnsFields = { ...fields, SignatureVersion: '1', SigningCertURL: signingCertUrl };
      const signer = createSign('RSA-SHA1');
      for (const field of signedFields[message.Type ?? ''] ?? []) {
        const value = message[field];
        if (value !== undefined) signer.update(`${field}\n${value}\n`);
      }
      return { ...message, Signature: signer.sign(key, 'base64') };
    },
    downloads: () => downloads,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
