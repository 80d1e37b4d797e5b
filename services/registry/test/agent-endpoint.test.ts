import { generateKeyPairSync } from 'node:crypto';
import { agentChannelCredentials, DatacenterAgentClient, type HeartbeatResponse } from '@overcast/agent-protocol';
import {
  createAccountRpc,
  createDatacenterRpc,
  createDeploymentRpc,
  deleteDatacenterRpc,
  deleteDeploymentRpc,
  getDeploymentRpc,
} from '@overcast/contracts';
import {
  credentials,
  status,
  type ChannelCredentials,
  type ClientReadableStream,
  type ServiceError,
} from '@grpc/grpc-js';
import { createCertificateAuthority, createRootCertificate } from '../src/ca/certificate-authority';
import { generateKeyPair, importPrivateKeyPem, signingAlgorithm } from '../src/ca/keys';
import { x509 } from '../src/ca/x509';
import { createRegistryStore } from '../src/data-access/registry-store';
import { createSecretBox } from '@overcast/providers';
import { createRegistryEnvironment, createTestClock } from './support/registry-environment';
import { profile, webDeployment } from './support/fixtures';

type Environment = Awaited<ReturnType<typeof createRegistryEnvironment>>;
let env: Environment;
let replica: Awaited<ReturnType<Environment['startReplica']>>;
let address: string;
let caBundle: string;
const tenantId = 'operator';

function pemKeys() {
  const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

async function registerDatacenter(name: string, region = 'us-west') {
  const keys = pemKeys();
  const issued = await env.client.call(createDatacenterRpc, {
    tenantId,
    name,
    region,
    endpoint: 'agent',
    key: { publicKey: keys.publicKey },
    profiles: [profile()],
  });
  return { id: issued.datacenter.id, certificate: issued.certificate, privateKey: keys.privateKey };
}

function heartbeat(
  channel: ChannelCredentials,
  datacenterId: string,
  running: { id: string; endpoint: string }[] = [],
): Promise<HeartbeatResponse> {
  const client = new DatacenterAgentClient(address, channel) as unknown as {
    Heartbeat(
      request: object,
      options: object,
      done: (error: ServiceError | null, response: HeartbeatResponse) => void,
    ): void;
    close(): void;
  };
  return new Promise<HeartbeatResponse>((resolve, reject) =>
    client.Heartbeat(
      { datacenter_id: datacenterId, profiles: [], running },
      { deadline: Date.now() + 5_000 },
      (error, response) => (error ? reject(error) : resolve(response)),
    ),
  ).finally(() => client.close());
}

/** A WatchPlacements stream: the signals it received so far, `next` awaiting one more, `ended` its end's error. */
function watch(channel: ChannelCredentials, datacenterId: string) {
  const client = new DatacenterAgentClient(address, channel) as unknown as {
    WatchPlacements(request: object): ClientReadableStream<object>;
    close(): void;
  };
  const stream = client.WatchPlacements({ datacenter_id: datacenterId });
  let signals = 0;
  const waiting: (() => void)[] = [];
  stream.on('data', () => {
    signals += 1;
    waiting.splice(0).forEach((wake) => wake());
  });
  const ended = new Promise<ServiceError | null>((resolve) => {
    stream.on('error', resolve);
    stream.on('end', () => resolve(null));
  });
  return {
    signals: () => signals,
    ended,
    /** Resolves once it has received `count` signals in all; rejects after 5 s. */
    async received(count: number) {
      const deadline = Date.now() + 5_000;
      while (signals < count) {
        if (Date.now() > deadline) throw new Error(`${signals} signals, not ${count}`);
        await new Promise<void>((wake) => {
          waiting.push(wake);
          setTimeout(wake, 100);
        });
      }
    },
    close() {
      stream.cancel();
      client.close();
    },
  };
}

const as = (certificate: string, privateKey: string) => agentChannelCredentials({ certificate, privateKey, caBundle });

/** A datacenter certificate signed by the registry's own root, but with the dates given. */
async function registrySigned(datacenterId: string, publicKeyPem: string, notBefore: Date, notAfter: Date) {
  const store = createRegistryStore(replica.database, { now: () => new Date() });
  const root = await store.rootAuthority(() => Promise.reject(new Error('the root exists')));
  const rootCertificate = new x509.X509Certificate(root.certificatePem);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: '01',
    subject: `CN=${datacenterId}, OU=datacenter, O=Overcast Registry`,
    issuer: rootCertificate.subject,
    notBefore,
    notAfter,
    publicKey: new x509.PublicKey(publicKeyPem),
    signingKey: await importPrivateKeyPem(
      createSecretBox(env.secretsKey).open(root.sealedPrivateKey, 'authority:root'),
    ),
    signingAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature, true),
    ],
  });
  return certificate.toString('pem');
}

beforeAll(async () => {
  env = await createRegistryEnvironment();
  replica = await env.startReplica({ clock: createTestClock(Date.now()), config: { AGENT_PORT: '0' } });
  address = `127.0.0.1:${replica.service.agentPort() ?? 0}`;
  const issued = await env.client.call(createAccountRpc, {
    tenantId,
    email: 'ops@example.com',
    key: { publicKey: pemKeys().publicKey },
  });
  caBundle = issued.caBundle;
});
afterAll(async () => {
  await env?.close();
});

describe('the agent endpoint: mutual TLS with the registry CA only', () => {
  it('answers a datacenter that presents its own current certificate', async () => {
    const datacenter = await registerDatacenter('good');
    await expect(heartbeat(as(datacenter.certificate, datacenter.privateKey), datacenter.id)).resolves.toEqual({
      nodes: [],
    });
  });

  it('refuses a certificate from another CA at the handshake', async () => {
    const datacenter = await registerDatacenter('impostor-target');
    const rootKeys = await generateKeyPair();
    const otherCa = createCertificateAuthority({
      certificate: await createRootCertificate(rootKeys, 'Someone Else Root CA'),
      privateKey: rootKeys.privateKey,
    });
    const keys = pemKeys();
    const forged = await otherCa.issueIntermediate(datacenter.id, new x509.PublicKey(keys.publicKey));
    await expect(heartbeat(as(forged, keys.privateKey), datacenter.id)).rejects.toMatchObject({
      code: status.UNAVAILABLE,
    });
  });

  it('refuses an expired certificate of the registry CA at the handshake', async () => {
    const datacenter = await registerDatacenter('expired');
    const keys = pemKeys();
    const day = 24 * 60 * 60 * 1000;
    const expired = await registrySigned(
      datacenter.id,
      keys.publicKey,
      new Date(Date.now() - 10 * day),
      new Date(Date.now() - day),
    );
    await expect(heartbeat(as(expired, keys.privateKey), datacenter.id)).rejects.toMatchObject({
      code: status.UNAVAILABLE,
    });
  });

  it('refuses a client without a certificate', async () => {
    const datacenter = await registerDatacenter('anonymous');
    await expect(heartbeat(credentials.createSsl(Buffer.from(caBundle)), datacenter.id)).rejects.toMatchObject({
      code: status.UNAVAILABLE,
    });
  });

  it('refuses a revoked certificate: the datacenter was deleted, or its certificate is not the one on record', async () => {
    const deleted = await registerDatacenter('deleted');
    await env.client.call(deleteDatacenterRpc, { tenantId, id: deleted.id });
    await expect(heartbeat(as(deleted.certificate, deleted.privateKey), deleted.id)).rejects.toMatchObject({
      code: status.UNAUTHENTICATED,
    });
    const current = await registerDatacenter('reissued');
    const keys = pemKeys();
    const superseded = await registrySigned(
      current.id,
      keys.publicKey,
      new Date(Date.now() - 1000),
      new Date(Date.now() + 3_600_000),
    );
    await expect(heartbeat(as(superseded, keys.privateKey), current.id)).rejects.toMatchObject({
      code: status.UNAUTHENTICATED,
    });
  });

  it('refuses a certificate valid for another datacenter, or for an account', async () => {
    const mine = await registerDatacenter('mine');
    const theirs = await registerDatacenter('theirs');
    await expect(heartbeat(as(mine.certificate, mine.privateKey), theirs.id)).rejects.toMatchObject({
      code: status.PERMISSION_DENIED,
    });
    const keys = pemKeys();
    const account = await env.client.call(createAccountRpc, {
      tenantId,
      email: 'someone@example.com',
      key: { publicKey: keys.publicKey },
    });
    await expect(heartbeat(as(account.certificate, keys.privateKey), theirs.id)).rejects.toMatchObject({
      code: status.PERMISSION_DENIED,
    });
  });

  it('lets a datacenter act only on its own nodes: another datacenter’s node it reports stays as it was', async () => {
    const target = await registerDatacenter('target', 'eu-west');
    const other = await registerDatacenter('other', 'eu-west');
    const deployment = await env.client.call(createDeploymentRpc, { tenantId, source: webDeployment(1, 'eu-west') });
    const placedOn = deployment.services[0]?.datacenterId;
    const [owner, stranger] = placedOn === target.id ? [target, other] : [other, target];
    const { nodes } = await heartbeat(as(owner.certificate, owner.privateKey), owner.id);
    expect(nodes).toHaveLength(1);
    const strangers = await heartbeat(as(stranger.certificate, stranger.privateKey), stranger.id, [
      { id: nodes[0]?.id ?? '', endpoint: '203.0.113.9:80' },
    ]);
    expect(strangers.nodes).toEqual([]);
    const after = await env.client.call(getDeploymentRpc, { tenantId, id: deployment.id });
    expect(after.services[0]).toMatchObject({ running: 0, endpoints: [] });
  });

  it('signals a datacenter’s placement stream when nodes are placed on it, and no other datacenter’s', async () => {
    const placed = await registerDatacenter('watched-cheap', 'ap-east');
    const bystander = await registerDatacenter('watched-bystander', 'sa-east');
    const watching = watch(as(placed.certificate, placed.privateKey), placed.id);
    const notWatching = watch(as(bystander.certificate, bystander.privateKey), bystander.id);
    try {
      // One signal on opening: whatever changed while the agent had no stream is learned at once.
      await watching.received(1);
      await notWatching.received(1);
      const deployment = await env.client.call(createDeploymentRpc, { tenantId, source: webDeployment(1, 'ap-east') });
      expect(deployment.services[0]?.datacenterId).toBe(placed.id);
      await watching.received(2);
      await env.client.call(deleteDeploymentRpc, { tenantId, id: deployment.id });
      await watching.received(3);
      expect(notWatching.signals()).toBe(1);
    } finally {
      watching.close();
      notWatching.close();
    }
  });

  it('refuses a placement stream for another datacenter, for an account, or with a revoked certificate', async () => {
    const mine = await registerDatacenter('watch-mine');
    const theirs = await registerDatacenter('watch-theirs');
    const keys = pemKeys();
    const account = await env.client.call(createAccountRpc, {
      tenantId,
      email: 'watcher@example.com',
      key: { publicKey: keys.publicKey },
    });
    const deleted = await registerDatacenter('watch-deleted');
    await env.client.call(deleteDatacenterRpc, { tenantId, id: deleted.id });
    const refused = [
      [watch(as(mine.certificate, mine.privateKey), theirs.id), status.PERMISSION_DENIED],
      [watch(as(account.certificate, keys.privateKey), theirs.id), status.PERMISSION_DENIED],
      [watch(as(deleted.certificate, deleted.privateKey), deleted.id), status.UNAUTHENTICATED],
      [watch(credentials.createSsl(Buffer.from(caBundle)), mine.id), status.UNAVAILABLE],
    ] as const;
    for (const [stream, code] of refused) {
      await expect(stream.ended).resolves.toMatchObject({ code });
      expect(stream.signals()).toBe(0);
      stream.close();
    }
  });
});
