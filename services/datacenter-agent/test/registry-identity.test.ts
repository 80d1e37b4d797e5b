import { webcrypto } from 'node:crypto';
import { datacenterAgentService, registryServerCredentials } from '@overcast/agent-protocol';
import { Server } from '@grpc/grpc-js';
import { createFakeComputeProvider } from '@overcast/providers';
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createDatacenterAgent, nodeCatalogImages } from '../src';
import { startRegistryWorld, type RegisteredDatacenter, type RegistryWorld } from './support/registry-world';

x509.cryptoProvider.set(webcrypto as never);
const silent = { info: () => undefined, warn: () => undefined };
const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

/** A gRPC server speaking the agent protocol with the given certificate; counts the heartbeats it was sent. */
async function impostorRegistry(options: { caBundle: string; certificate: string; privateKey: string }) {
  const server = new Server();
  let heartbeats = 0;
  server.addService(datacenterAgentService, {
    Heartbeat: (_call: unknown, done: (error: null, response: object) => void) => {
      heartbeats += 1;
      done(null, { nodes: [{ id: 'planted', deployment_id: 'x', service: 'x', image: 'malware' }] });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', registryServerCredentials(options), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return { address: `127.0.0.1:${port}`, heartbeats: () => heartbeats, stop: () => server.forceShutdown() };
}

/** A registry-looking server certificate (OU=registry) from a CA the agent never trusted. */
async function anotherCasRegistryCertificate() {
  const rootKeys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=Someone Else Root CA',
    keys: rootKeys,
    signingAlgorithm: algorithm,
    extensions: [new x509.BasicConstraintsExtension(true, 1, true)],
  });
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const leaf = await x509.X509CertificateGenerator.create({
    subject: 'CN=registry, OU=registry, O=Overcast Registry',
    issuer: root.subject,
    publicKey: keys.publicKey,
    signingKey: rootKeys.privateKey,
    signingAlgorithm: algorithm,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: '127.0.0.1' }])],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    caBundle: root.toString('pem'),
    certificate: leaf.toString('pem'),
    privateKey: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
  };
}

// The agent's side of mutual TLS: it heartbeats only to a server certified by its registry's CA as the registry.
describe('the agent refuses a server that is not its registry', () => {
  let world: RegistryWorld;
  let datacenter: RegisteredDatacenter;

  beforeAll(async () => {
    world = await startRegistryWorld();
    datacenter = await world.registerDatacenter('careful', 1);
  });
  afterAll(async () => {
    await world.close();
  });

  async function heartbeatTo(address: string) {
    const provider = createFakeComputeProvider({ latencyMs: 0, bootMs: 0, images: nodeCatalogImages() });
    const agent = createDatacenterAgent({
      settings: { registryAddress: address, credentials: datacenter, heartbeatIntervalMs: 500, profiles: [] },
      provider,
      logger: silent,
    });
    try {
      await agent.heartbeatNow();
    } finally {
      await agent.stop();
      expect(await provider.listInstances()).toEqual([]);
    }
  }

  it('refuses a server whose certificate comes from another CA', async () => {
    const impostor = await impostorRegistry(await anotherCasRegistryCertificate());
    try {
      await expect(heartbeatTo(impostor.address)).rejects.toThrow();
      expect(impostor.heartbeats()).toBe(0);
    } finally {
      impostor.stop();
    }
  });

  it('refuses a server certified by the registry CA as a datacenter, not as the registry', async () => {
    const other = await world.registerDatacenter('posing-as-registry', 1);
    const impostor = await impostorRegistry({
      caBundle: datacenter.caBundle,
      certificate: other.certificate,
      privateKey: other.privateKey,
    });
    try {
      await expect(heartbeatTo(impostor.address)).rejects.toThrow(/not the registry/);
      expect(impostor.heartbeats()).toBe(0);
    } finally {
      impostor.stop();
    }
  });

  it('heartbeats to the real registry with the same credentials', async () => {
    await expect(heartbeatTo(world.agentAddress())).resolves.toBeUndefined();
  });
});
