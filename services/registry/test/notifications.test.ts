import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDeploymentRpc, listDeploymentEventsRpc, notifyDeploymentRpc } from '@overcast/contracts';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';
import { createRegistryEnvironment } from './support/registry-environment';

/**
 * Notifications end to end: the real registry on real Postgres fans its deployment events out to a webhook
 * receiver (real HTTPS on loopback, a throwaway CA given as WEBHOOK_CA_FILE) and to a local SMTP server.
 */
interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  status: number;
}

const directory = mkdtempSync(path.join(tmpdir(), 'overcast-notify-'));
const received: Received[] = [];
const mails: { to: string[]; raw: string }[] = [];
let trapConnections = 0;
let receiver: HttpsServer;
let trap: TcpServer;
let smtp: SMTPServer;
let env: Awaited<ReturnType<typeof createRegistryEnvironment>>;
let replica: Awaited<ReturnType<(typeof env)['startReplica']>>;
let hooks: string;

const listening = <T extends { address(): AddressInfo | string | null }>(server: T) =>
  (server.address() as AddressInfo).port;

beforeAll(async () => {
  const key = path.join(directory, 'key.pem');
  const cert = path.join(directory, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  // /flaky fails twice then accepts; every other path accepts at once.
  let flakyCalls = 0;
  receiver = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = request.url === '/flaky' && ++flakyCalls <= 2 ? 503 : 204;
      received.push({
        path: request.url ?? '',
        headers: request.headers as Record<string, string>,
        body: Buffer.concat(chunks).toString('utf8'),
        status,
      });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hooks = `https://localhost:${listening(receiver)}`;
  // Anything that connects here was sent where it must not be.
  trap = createTcpServer((socket) => {
    trapConnections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => trap.listen(0, '0.0.0.0', resolve));
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));

  env = await createRegistryEnvironment();
  replica = await env.startReplica({
    clock: { now: () => new Date() },
    config: {
      // The test drives passes (notifyNow); retries are due a millisecond after a failure.
      NOTIFY_INTERVAL_MS: '600000',
      NOTIFY_RETRY_BASE_MS: '1',
      NOTIFY_RETRY_MAX_MS: '1',
      NOTIFY_MAX_ATTEMPTS: '4',
      WEBHOOK_ALLOWED_HOSTS: 'localhost,127.0.0.2',
      WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32',
      WEBHOOK_CA_FILE: cert,
      SMTP_URL: `smtp://127.0.0.1:${listening(smtp.server)}`,
      NOTIFY_EMAIL_FROM: 'registry@overcast.test',
    },
  });
});

afterAll(async () => {
  await env?.close();
  await new Promise((resolve) => receiver?.close(resolve));
  await new Promise((resolve) => trap?.close(resolve));
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  rmSync(directory, { recursive: true, force: true });
});

function deploymentFile(): string {
  const trapPort = listening(trap);
  return `version: "0.1"
services:
  web: { image: nginx }
deployment:
  datacenters:
    westcoast:
      region: us-west
      profiles:
        web: { qos: { cpu: 1 } }
  services:
    web:
      westcoast: { profile: web, nodes: 1 }
notifications:
  - { name: flaky, type: webhook, url: "${hooks}/flaky", events: [deploy.begin] }
  - { name: later, type: webhook, url: "${hooks}/later", events: [deploy.complete] }
  - { name: mail, type: email, email: ops@example.com, events: [deploy.begin] }
  - { name: private, type: webhook, url: "https://127.0.0.2:${trapPort}/x", events: [deploy.begin] }
  - { name: unlisted, type: webhook, url: "https://127.0.0.3:${trapPort}/x", events: [deploy.begin] }
`;
}

/** Passes until nothing is due or tried (each failure is due again a millisecond later). */
async function drain() {
  for (let pass = 0; pass < 20; pass += 1) {
    const { planned, tried } = await replica.service.notifyNow();
    if (planned === 0 && tried === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('notifications', () => {
  let deployment: Awaited<ReturnType<typeof createDeployment>>;
  const createDeployment = () => env.client.call(createDeploymentRpc, { tenantId: 'notify', source: deploymentFile() });

  beforeAll(async () => {
    deployment = await createDeployment();
    await drain();
  });

  it('signs each webhook per Standard Webhooks with the deployment secret, verified by the library', () => {
    const flaky = received.filter((r) => r.path === '/flaky');
    expect(deployment.webhookSecret).toMatch(/^whsec_/);
    for (const request of flaky) {
      const payload = new Webhook(deployment.webhookSecret).verify(request.body, request.headers);
      expect(payload).toMatchObject({
        type: 'deploy.begin',
        data: { deployment_id: deployment.id, notification: 'flaky', details: { version: 1 } },
      });
      expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    }
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(flaky[0]!.body, flaky[0]!.headers),
    ).toThrow();
  });

  it('retries a receiver that fails twice, which then accepts exactly one delivery under one webhook-id', async () => {
    const flaky = received.filter((r) => r.path === '/flaky');
    expect(flaky.map((r) => r.status)).toEqual([503, 503, 204]);
    expect(new Set(flaky.map((r) => r.headers['webhook-id'])).size).toBe(1);
    await drain();
    expect(received.filter((r) => r.path === '/flaky')).toHaveLength(3);
  });

  it('never contacts an address or host the operator does not allow, and reports the delivery dead', async () => {
    expect(trapConnections).toBe(0);
    const { events } = await env.client.call(listDeploymentEventsRpc, {
      tenantId: 'notify',
      id: deployment.id,
      after: 0,
      limit: 100,
    });
    const failed = events.filter((e) => e.type === 'notification.failed').map((e) => e.data);
    expect(failed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ notification: 'private', attempts: 1, error: expect.stringContaining('127.0.0.2') }),
        expect.objectContaining({ notification: 'unlisted', attempts: 1, error: expect.stringContaining('127.0.0.3') }),
      ]),
    );
    expect(failed).toHaveLength(2);
  });

  it("sends each event only to the notifications whose events name it, and notify's event to the one named", async () => {
    expect(received.filter((r) => r.path === '/later')).toHaveLength(0);
    await env.client.call(notifyDeploymentRpc, { tenantId: 'notify', id: deployment.id, notification: 'later' });
    await drain();
    const later = received.filter((r) => r.path === '/later');
    expect(later).toHaveLength(1);
    expect(new Webhook(deployment.webhookSecret).verify(later[0]!.body, later[0]!.headers)).toMatchObject({
      type: 'deploy.complete',
      data: { notification: 'later' },
    });
    expect(received.filter((r) => r.path === '/flaky')).toHaveLength(3);
  });

  it('mails through SMTP with the event in the subject and the body', () => {
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail!.to).toEqual(['ops@example.com']);
    // Header lines longer than 78 characters are folded (RFC 5322); unfolded, the subject is one line.
    const unfolded = mail!.raw.replace(/\r?\n[ \t]+/g, ' ');
    expect(unfolded).toContain(`Subject: [Overcast] deploy.begin: deployment ${deployment.id}`);
    expect(mail!.raw).toContain('From: registry@overcast.test');
    expect(mail!.raw).toContain('Event: deploy.begin');
    expect(mail!.raw).toContain(`Deployment: ${deployment.id}`);
    expect(mail!.raw).toContain('Notification: mail');
  });
});

describe('a host allowed by name that resolves to a loopback address the operator did not allow', () => {
  it('is refused after resolution, before any connection, and the delivery is dead saying why', async () => {
    const other = await createRegistryEnvironment();
    try {
      const registry = await other.startReplica({
        clock: { now: () => new Date() },
        config: { NOTIFY_INTERVAL_MS: '600000', WEBHOOK_ALLOWED_HOSTS: 'localhost' },
      });
      const source =
        deploymentFile().replace(/notifications:[\s\S]*$/, '') +
        `notifications:\n  - { name: named, type: webhook, url: "https://localhost:${listening(trap)}/x", events: [deploy.begin] }\n`;
      const created = await other.client.call(createDeploymentRpc, { tenantId: 'named', source });
      await registry.service.notifyNow();
      expect(trapConnections).toBe(0);
      const { events } = await other.client.call(listDeploymentEventsRpc, {
        tenantId: 'named',
        id: created.id,
        after: 0,
        limit: 100,
      });
      expect(events.find((event) => event.type === 'notification.failed')?.data).toMatchObject({
        notification: 'named',
        event: 'deploy.begin',
        attempts: 1,
        error: expect.stringMatching(/localhost resolves to no public address/),
      });
    } finally {
      await other.close();
    }
  });
});
