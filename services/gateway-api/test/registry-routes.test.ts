import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { datacenterHeartbeatRpc } from '@overcast/contracts';
import type { Database } from '@overcast/db';
import { createAmqpBus, deleteAmqpTopology, type Bus } from '@overcast/messaging';
import { createClient } from '@overcast/sdk';
import { describeWithServices, testAmqpUrl, uniqueName, type TestDatabase } from '@overcast/test-kit';
import {
  authorization,
  createToken,
  openMigratedDatabase,
  startGateway,
  type RunningGateway,
} from './support/gateway-harness';
import { startRealRegistry, type RealRegistry } from './support/real-registry';
import { parseServerSentEvents, readEventsUntil } from './support/server-sent-events';
import { specCheckedFetch } from './support/spec-conformance';

interface ErrorBody {
  error: { code: string; details: { path?: string; message: string }[] };
}
interface Placement {
  service: string;
  entry: string;
  datacenter_id: string | null;
  desired: number;
  running: number;
  endpoints: string[];
}
interface DeploymentBody {
  id: string;
  version: number;
  state: string;
  services: Placement[];
  certificate: string;
}

const publicKeyPem = () =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

const profile = (price: number) => ({
  name: 'standard',
  cpu: 2,
  memory_bytes: 4_000_000_000,
  lifetime: 'medium',
  price,
  capacity: 10,
});

/** `web` on the `westcoast` entry (us-west, 1 cpu, 3GB); `profile` names the datacenter profile it uses. */
const webFile = (nodes = 2, profileName = 'web') => `version: "0.1"
services:
  web:
    image: nginx
    expose:
      - port: 80
        to: [{ global: true }]
deployment:
  datacenters:
    westcoast:
      region: us-west
      profiles:
        web:
          qos: { cpu: 1, memory: 3GB, lifetime: medium }
          pricing: { max-price: 5 }
  services:
    web:
      westcoast: { profile: ${profileName}, nodes: ${nodes} }
notifications:
  - { name: ops, type: webhook, url: "https://hooks.example.com/x", events: [deploy.complete] }
`;

/** `webFile` as JSON. */
const webJson = (profileName: string) => ({
  version: '0.1',
  services: { web: { image: 'nginx', expose: [{ port: 80, to: [{ global: true }] }] } },
  deployment: {
    datacenters: {
      westcoast: {
        region: 'us-west',
        profiles: { web: { qos: { cpu: 1, memory: '3GB', lifetime: 'medium' }, pricing: { 'max-price': 5 } } },
      },
    },
    services: { web: { westcoast: { profile: profileName, nodes: 2 } } },
  },
});

// The registry routes through the real gateway, the real RabbitMQ and the real registry (its own schema).
describeWithServices('registry routes over the bus', () => {
  const { fetch: checkedFetch, problems } = specCheckedFetch();
  let testDatabase: TestDatabase;
  let database: Database;
  let bus: Bus;
  let registry: RealRegistry;
  let gateway: RunningGateway;
  let developer: string;
  let foreigner: string;
  const namespace = uniqueName('gateway-registry-test');

  beforeAll(async () => {
    ({ testDatabase, database } = await openMigratedDatabase());
    bus = createAmqpBus({ url: testAmqpUrl(), namespace });
    await bus.start();
    registry = await startRealRegistry(testDatabase.url, bus);
    gateway = await startGateway({ database, bus, env: { DEPLOYMENT_EVENTS_POLL_MS: '50' } });
    [developer, foreigner] = await Promise.all([
      createToken(database, 'developer'),
      createToken(database, 'developer', 'someone-else'),
    ]);
  });

  afterAll(async () => {
    await gateway.stop();
    await registry.stop();
    await bus.stop();
    await deleteAmqpTopology({ url: testAmqpUrl(), namespace, services: ['registry', 'gateway-api'] });
    await database.close();
    await testDatabase.drop();
  });

  const send = (method: string, path: string, token: string, body?: unknown, contentType = 'application/json') =>
    checkedFetch(`${gateway.url}${path}`, {
      method,
      headers: { ...authorization(token), ...(body === undefined ? {} : { 'content-type': contentType }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  const json = async <T>(response: Response) => (await response.json()) as T;

  let westId: string;
  let cheapId: string;

  it('registers datacenters with an intermediate CA certificate for their own key, and lists the tenant’s', async () => {
    const key = publicKeyPem();
    const response = await send('POST', '/datacenters', developer, {
      name: 'west',
      region: 'us-west',
      endpoint: '127.0.0.1:7443',
      public_key: key,
      profiles: [profile(3)],
    });
    expect(response.status).toBe(201);
    const body = await json<{ datacenter: { id: string; state: string }; certificate: string; ca_bundle: string }>(
      response,
    );
    westId = body.datacenter.id;
    expect(response.headers.get('location')).toBe(`/datacenters/${westId}`);
    const certificate = new X509Certificate(body.certificate);
    expect(certificate.ca).toBe(true);
    expect(certificate.publicKey.export({ type: 'spki', format: 'pem' })).toBe(key);
    expect(certificate.verify(new X509Certificate(body.ca_bundle).publicKey)).toBe(true);

    const cheap = await send('POST', '/datacenters', developer, {
      name: 'cheap',
      region: 'us-west',
      endpoint: '127.0.0.2:7443',
      public_key: publicKeyPem(),
      profiles: [profile(1)],
    });
    cheapId = (await json<{ datacenter: { id: string } }>(cheap)).datacenter.id;

    const list = await json<{ datacenters: { name: string }[] }>(await send('GET', '/datacenters', developer));
    expect(list.datacenters.map((datacenter) => datacenter.name).sort()).toEqual(['cheap', 'west']);
    expect((await send('GET', `/datacenters/${westId}`, developer)).status).toBe(200);
  });

  it('refuses a datacenter without a key or with a bad profile, naming each field', async () => {
    const response = await send('POST', '/datacenters', developer, {
      name: 'Bad Name',
      region: 'us-west',
      endpoint: 'x',
      profiles: [{ ...profile(1), lifetime: 'forever' }],
    });
    expect(response.status).toBe(400);
    const paths = (await json<ErrorBody>(response)).error.details.map((detail) => detail.path);
    expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.profiles[0].lifetime']));
    const keyless = await send('POST', '/datacenters', developer, {
      name: 'keyless',
      region: 'us-west',
      endpoint: 'x',
      profiles: [profile(1)],
    });
    expect((await json<ErrorBody>(keyless)).error.details).toEqual([
      expect.objectContaining({ path: 'body.public_key' }),
    ]);
  });

  it('updates a datacenter’s profiles, and another tenant sees none of them (404, never 403)', async () => {
    const patched = await send('PATCH', `/datacenters/${cheapId}`, developer, { profiles: [profile(0.5)] });
    expect(patched.status).toBe(200);
    expect((await json<{ profiles: { price: number }[] }>(patched)).profiles[0]?.price).toBe(0.5);
    expect((await send('GET', `/datacenters/${westId}`, foreigner)).status).toBe(404);
    expect((await send('PATCH', `/datacenters/${westId}`, foreigner, { endpoint: 'y' })).status).toBe(404);
    expect((await send('DELETE', `/datacenters/${westId}`, foreigner)).status).toBe(404);
    expect((await send('GET', '/datacenters/not-a-uuid', developer)).status).toBe(404);
    expect(await json<{ datacenters: unknown[] }>(await send('GET', '/datacenters', foreigner))).toEqual({
      datacenters: [],
    });
  });

  it('registers an account: a leaf certificate for the client’s public key and the CA bundle', async () => {
    const key = publicKeyPem();
    const response = await send('POST', '/registry/accounts', developer, { email: 'ops@example.com', public_key: key });
    expect(response.status).toBe(201);
    const account = await json<{ email: string; certificate: string; ca_bundle: string }>(response);
    const certificate = new X509Certificate(account.certificate);
    expect(certificate.ca).toBe(false);
    expect(certificate.publicKey.export({ type: 'spki', format: 'pem' })).toBe(key);
    const invalid = await send('POST', '/registry/accounts', developer, { email: 'not an address', public_key: key });
    expect((await json<ErrorBody>(invalid)).error.details.map((detail) => detail.path)).toEqual(['body.email']);
  });

  it('validates a file sent as YAML, text/yaml or JSON with the same verdict: every problem with its path and line', async () => {
    const file = webFile(2, 'db-pool');
    const asYaml = await json<{ valid: boolean; errors: { path: string; line: number }[] }>(
      await send('POST', '/deployments/validate', developer, file, 'application/yaml'),
    );
    expect(asYaml.valid).toBe(false);
    expect(asYaml.errors).toEqual([
      expect.objectContaining({ path: 'deployment.services.web.westcoast.profile', line: 18 }),
    ]);
    const asTextYaml = await send('POST', '/deployments/validate', developer, file, 'text/yaml');
    expect(await asTextYaml.json()).toEqual(asYaml);
    const unlabelled = await checkedFetch(`${gateway.url}/deployments/validate`, {
      method: 'POST',
      headers: authorization(developer),
      body: webFile(),
    });
    expect(await unlabelled.json()).toEqual({ valid: true, errors: [] });
    const asJson = await send('POST', '/deployments/validate', developer, JSON.stringify(webJson('db-pool'), null, 2));
    expect(await json<{ errors: { path: string }[] }>(asJson)).toMatchObject({
      valid: false,
      errors: [{ path: 'deployment.services.web.westcoast.profile' }],
    });
    const broken = await send('POST', '/deployments/validate', developer, '{"version":', 'application/json');
    expect(broken.status).toBe(400);
    expect((await json<ErrorBody>(broken)).error.details[0]?.path).toBe('body');
  });

  it('matches the file to datacenters cheapest first', async () => {
    const response = await send('POST', '/datacenters/match', developer, webFile(), 'application/yaml');
    const body = await json<{ valid: boolean; matches: { entry: string; datacenters: { id: string }[] }[] }>(response);
    expect(body.valid).toBe(true);
    expect(body.matches).toEqual([
      expect.objectContaining({
        entry: 'westcoast',
        datacenters: [expect.objectContaining({ id: cheapId }), expect.objectContaining({ id: westId })],
      }),
    ]);
  });

  let deploymentId: string;

  it('refuses an invalid file on create with 400, each detail the path in the file and its line', async () => {
    const response = await send('POST', '/deployments', developer, webFile(2, 'db-pool'), 'application/yaml');
    expect(response.status).toBe(400);
    const { error } = await json<ErrorBody>(response);
    expect(error.code).toBe('bad_request');
    expect(error.details).toEqual([
      { path: 'deployment.services.web.westcoast.profile', message: expect.stringMatching(/^line 18: .*db-pool/) },
    ]);
  });

  it('creates a deployment placed on the cheapest datacenter; a heartbeat of its agent shows the nodes running', async () => {
    const response = await send('POST', '/deployments', developer, webFile(2), 'application/yaml');
    expect(response.status).toBe(201);
    const deployment = await json<DeploymentBody>(response);
    deploymentId = deployment.id;
    expect(response.headers.get('location')).toBe(`/deployments/${deploymentId}`);
    expect(deployment.services).toEqual([
      expect.objectContaining({ service: 'web', entry: 'westcoast', datacenter_id: cheapId, desired: 2, running: 0 }),
    ]);
    expect(new X509Certificate(deployment.certificate).subject).toContain(deploymentId);

    const { nodes } = await bus.call(datacenterHeartbeatRpc, { datacenterId: cheapId, running: [] });
    expect(nodes).toHaveLength(2);
    await bus.call(datacenterHeartbeatRpc, {
      datacenterId: cheapId,
      running: nodes.map((node, index) => ({ id: node.id, endpoint: `127.0.0.${10 + index}:80` })),
    });
    const status = await json<DeploymentBody>(await send('GET', `/deployments/${deploymentId}`, developer));
    expect(status.services[0]).toMatchObject({ running: 2, endpoints: ['127.0.0.10:80', '127.0.0.11:80'] });

    const list = await json<{ deployments: { id: string; services: string[] }[] }>(
      await send('GET', '/deployments', developer),
    );
    expect(list.deployments).toEqual([expect.objectContaining({ id: deploymentId, services: ['web'] })]);
    expect((await send('GET', `/deployments/${deploymentId}`, foreigner)).status).toBe(404);
    expect(await json<{ deployments: unknown[] }>(await send('GET', '/deployments', foreigner))).toEqual({
      deployments: [],
    });
  });

  it('answers the plan of an update on dry_run and changes nothing; without it applies the plan', async () => {
    const dry = await send('PUT', `/deployments/${deploymentId}?dry_run=true`, developer, webFile(3), 'text/yaml');
    expect(dry.status).toBe(200);
    const plan = await json<{ plan: { add: number; remove: number; move: number }[]; deployment?: unknown }>(dry);
    expect(plan).toEqual({ plan: [expect.objectContaining({ service: 'web', add: 1, remove: 0, move: 0 })] });
    const unchanged = await json<DeploymentBody>(await send('GET', `/deployments/${deploymentId}`, developer));
    expect(unchanged).toMatchObject({ version: 1, services: [{ desired: 2 }] });

    const applied = await json<{ deployment: DeploymentBody }>(
      await send('PUT', `/deployments/${deploymentId}`, developer, webFile(3), 'application/yaml'),
    );
    expect(applied.deployment).toMatchObject({ version: 2, services: [{ desired: 3 }] });
    expect((await send('PUT', `/deployments/${deploymentId}`, foreigner, webFile(3), 'application/yaml')).status).toBe(
      404,
    );
  });

  it('streams the deployment’s events from its start, and resumes after Last-Event-ID', async () => {
    const response = await send('GET', `/deployments/${deploymentId}/events?follow=false`, developer);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseServerSentEvents(await response.text());
    expect(events[0]).toMatchObject({ id: '1', event: 'deploy.begin' });
    expect(events.map((event) => event.event)).toEqual(
      expect.arrayContaining(['deploy.begin', 'cluster.created', 'cluster.node.created']),
    );
    const ids = events.map((event) => Number(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(JSON.parse(events[0]?.data ?? '{}')).toMatchObject({ seq: 1, type: 'deploy.begin' });

    const resumed = await checkedFetch(`${gateway.url}/deployments/${deploymentId}/events?follow=false`, {
      headers: { ...authorization(developer), 'last-event-id': String(ids[1]) },
    });
    expect(parseServerSentEvents(await resumed.text()).map((event) => event.id)).toEqual(
      events.slice(2).map((event) => event.id),
    );
    const foreign = await send('GET', `/deployments/${deploymentId}/events`, foreigner);
    expect(foreign.status).toBe(404);
  });

  it('follows the stream: an event recorded while it is open arrives on it', async () => {
    const open = await fetch(`${gateway.url}/deployments/${deploymentId}/events`, {
      headers: authorization(developer),
    });
    expect(open.status).toBe(200);
    const arriving = readEventsUntil(open, (events) =>
      events.some((event) => event.event === 'notification.requested'),
    );
    const notify = await send('POST', `/deployments/${deploymentId}/notify`, developer, {
      notification: 'ops',
      event: 'deploy.complete',
    });
    expect(await notify.json()).toEqual({ notified: ['ops'], event: 'deploy.complete' });
    const events = await arriving;
    expect(events.at(-1)).toMatchObject({ event: 'notification.requested' });
    expect(JSON.parse(events.at(-1)?.data ?? '{}')).toMatchObject({
      data: { event: 'deploy.complete', notifications: ['ops'] },
    });
  });

  it('refuses a notification the file does not name, or an event Photon does not know, naming the field', async () => {
    const unknown = await send('POST', `/deployments/${deploymentId}/notify`, developer, { notification: 'nobody' });
    expect((await json<ErrorBody>(unknown)).error.details.map((detail) => detail.path)).toEqual(['body.notification']);
    const badEvent = await send('POST', `/deployments/${deploymentId}/notify`, developer, {
      event: 'cluster.exploded',
    });
    expect((await json<ErrorBody>(badEvent)).error.details.map((detail) => detail.path)).toEqual(['body.event']);
  });

  it('deletes a deployment (204), after which it answers 404; another tenant cannot delete it', async () => {
    expect((await send('DELETE', `/deployments/${deploymentId}`, foreigner)).status).toBe(404);
    expect((await send('DELETE', `/deployments/${deploymentId}`, developer)).status).toBe(204);
    expect((await send('GET', `/deployments/${deploymentId}`, developer)).status).toBe(404);
    expect((await send('DELETE', `/datacenters/${westId}`, developer)).status).toBe(204);
  });

  it('the SDK drives them: create from YAML, status, a plan, the events followed, a ValidationError naming the line', async () => {
    const client = createClient({ baseUrl: gateway.url, token: developer });
    const created = await client.deployments.create(webFile(1));
    expect(created.services).toEqual([expect.objectContaining({ datacenter_id: cheapId, desired: 1 })]);
    expect((await client.deployments.get(created.id)).id).toBe(created.id);
    expect((await client.deployments.list()).map((deployment) => deployment.id)).toContain(created.id);
    const { plan } = await client.deployments.update(created.id, webFile(2), { dryRun: true });
    expect(plan).toEqual([expect.objectContaining({ add: 1 })]);
    const stop = new AbortController();
    const seen: string[] = [];
    const following = (async () => {
      for await (const event of client.deployments.events(created.id, { signal: stop.signal })) {
        seen.push(event.type);
        if (event.type === 'notification.requested') stop.abort();
      }
    })();
    await client.deployments.notify(created.id, { event: 'deploy.complete' });
    await following;
    expect(seen).toEqual(expect.arrayContaining(['deploy.begin', 'cluster.created', 'notification.requested']));
    const all: number[] = [];
    for await (const event of client.deployments.events(created.id, { follow: false })) all.push(event.seq);
    const rest: number[] = [];
    for await (const event of client.deployments.events(created.id, { after: all[0], follow: false }))
      rest.push(event.seq);
    expect(rest).toEqual(all.slice(1));
    await expect(client.deployments.create(webFile(1, 'db-pool'))).rejects.toMatchObject({
      status: 400,
      details: [expect.objectContaining({ path: 'deployment.services.web.westcoast.profile' })],
    });
    const matches = await client.datacenters.match(webFile(1));
    expect(matches.matches[0]?.datacenters[0]?.id).toBe(cheapId);
    await client.deployments.delete(created.id);
  });

  it('answered everything as the spec documents it', () => {
    expect(problems).toEqual([]);
  });
});
