import {
  createAccountRpc,
  createDatacenterRpc,
  createDeploymentRpc,
  datacenterHeartbeatRpc,
  deleteDatacenterRpc,
  getDatacenterRpc,
  getDeploymentRpc,
  listDatacentersRpc,
  listDeploymentEventsRpc,
  matchDatacentersRpc,
  notifyDeploymentRpc,
  updateDatacenterRpc,
  updateDeploymentRpc,
  validateDeploymentRpc,
} from '@overcast/contracts';
import { x509 } from '../src/ca/x509';
import { createRegistryEnvironment, createTestClock } from './support/registry-environment';
import { profile, publicKeyPem, webDeployment } from './support/fixtures';

type Environment = Awaited<ReturnType<typeof createRegistryEnvironment>>;
let env: Environment;
const clock = createTestClock();
let replica: Awaited<ReturnType<Environment['startReplica']>>;

beforeAll(async () => {
  env = await createRegistryEnvironment();
  replica = await env.startReplica({ clock });
});
afterAll(async () => {
  await env?.close();
});

async function registerDatacenter(tenantId: string, name: string, price: number, region = 'us-west', capacity = 10) {
  const { datacenter } = await env.client.call(createDatacenterRpc, {
    tenantId,
    name,
    region,
    endpoint: `https://${name}.example.com`,
    key: { publicKey: await publicKeyPem() },
    profiles: [profile({ price, capacity })],
  });
  return datacenter;
}

/** The agent test double: runs whatever the registry asks, reports it running. */
async function heartbeat(datacenterId: string, running: string[] = []) {
  return env.client.call(datacenterHeartbeatRpc, {
    datacenterId,
    running: running.map((id) => ({ id, endpoint: `10.0.0.1:${id.slice(0, 4)}` })),
  });
}

/** What each test-double agent runs: it reports these, then runs exactly what the answer lists. */
const agents = new Map<string, Set<string>>();
async function beat(datacenterId: string) {
  const answer = await heartbeat(datacenterId, [...(agents.get(datacenterId) ?? [])]);
  agents.set(datacenterId, new Set(answer.nodes.map((n) => n.id)));
  return answer;
}

/** Two beats: the first starts what is asked, the second reports it running. */
async function runEverything(datacenterId: string) {
  await beat(datacenterId);
  await beat(datacenterId);
}

describe('registry accounts and datacenters', () => {
  it('certifies an account key with a leaf that chains to the CA bundle, once per email', async () => {
    const account = await env.client.call(createAccountRpc, {
      tenantId: 'acct',
      email: 'a@example.com',
      key: { publicKey: await publicKeyPem() },
    });
    const leaf = new x509.X509Certificate(account.certificate);
    const root = new x509.X509Certificate(account.caBundle);
    expect(leaf.issuer).toBe(root.subject);
    expect(await leaf.verify({ publicKey: root.publicKey, signatureOnly: true })).toBe(true);
    await expect(
      env.client.call(createAccountRpc, {
        tenantId: 'acct',
        email: 'a@example.com',
        key: { publicKey: await publicKeyPem() },
      }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it('registers a datacenter with an intermediate CA certificate; another tenant sees 404', async () => {
    const created = await env.client.call(createDatacenterRpc, {
      tenantId: 'op',
      name: 'dc-crud',
      region: 'eu-north',
      endpoint: 'https://dc-crud.example.com',
      key: { publicKey: await publicKeyPem() },
      profiles: [profile()],
    });
    const certificate = new x509.X509Certificate(created.certificate);
    expect(certificate.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(true);
    expect(created.datacenter).toMatchObject({ name: 'dc-crud', state: 'up', profiles: [profile()] });
    const id = created.datacenter.id;
    await expect(env.client.call(getDatacenterRpc, { tenantId: 'other', id })).rejects.toMatchObject({
      code: 'not_found',
    });
    const updated = await env.client.call(updateDatacenterRpc, {
      tenantId: 'op',
      id,
      profiles: [profile({ price: 7 })],
    });
    expect(updated.profiles[0]?.price).toBe(7);
    expect((await env.client.call(listDatacentersRpc, { tenantId: 'op' })).datacenters.map((d) => d.id)).toContain(id);
    expect((await env.client.call(listDatacentersRpc, { tenantId: 'other' })).datacenters).toEqual([]);
    await expect(env.client.call(deleteDatacenterRpc, { tenantId: 'other', id })).rejects.toMatchObject({
      code: 'not_found',
    });
    await env.client.call(deleteDatacenterRpc, { tenantId: 'op', id });
    await expect(env.client.call(getDatacenterRpc, { tenantId: 'op', id })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('refuses a duplicate name and unusable key material naming the field', async () => {
    await registerDatacenter('dup', 'twice', 1, 'ap-south');
    await expect(registerDatacenter('dup', 'twice', 1, 'ap-south')).rejects.toMatchObject({ code: 'conflict' });
    await expect(
      env.client.call(createDatacenterRpc, {
        tenantId: 'dup',
        name: 'badkey',
        region: 'ap-south',
        endpoint: 'https://x',
        key: { publicKey: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' },
        profiles: [profile()],
      }),
    ).rejects.toMatchObject({ code: 'bad_request', details: [{ path: 'body.public_key' }] });
  });
});

describe('deployments', () => {
  it('validates with deployment-config verdicts and paths', async () => {
    const broken = webDeployment().replace('{ profile: web, nodes', '{ profile: db-pool, nodes');
    const verdict = await env.client.call(validateDeploymentRpc, { tenantId: 't', source: broken });
    expect(verdict.valid).toBe(false);
    expect(verdict.errors.map((e) => e.path)).toContain('deployment.services.web.westcoast.profile');
    await expect(env.client.call(createDeploymentRpc, { tenantId: 't', source: broken })).rejects.toMatchObject({
      code: 'bad_request',
      details: [expect.objectContaining({ path: 'deployment.services.web.westcoast.profile' })],
    });
    expect((await env.client.call(validateDeploymentRpc, { tenantId: 't', source: webDeployment() })).valid).toBe(true);
  });

  it('matches cheapest first, places on the cheapest, runs, completes, and streams the events in order', async () => {
    const pricey = await registerDatacenter('op', 'pricey', 3, 'sa-east');
    const cheap = await registerDatacenter('op', 'cheap', 1, 'sa-east');
    await registerDatacenter('op', 'too-dear', 9, 'sa-east');
    const match = await env.client.call(matchDatacentersRpc, { tenantId: 'user', source: webDeployment(2, 'sa-east') });
    expect(match.matches[0]?.datacenters.map((d) => d.name)).toEqual(['cheap', 'pricey']);

    const deployment = await env.client.call(createDeploymentRpc, {
      tenantId: 'user',
      source: webDeployment(2, 'sa-east'),
    });
    expect(deployment.services).toEqual([
      expect.objectContaining({ service: 'web', entry: 'westcoast', datacenterId: cheap.id, desired: 2, running: 0 }),
    ]);
    await expect(env.client.call(getDeploymentRpc, { tenantId: 'other', id: deployment.id })).rejects.toMatchObject({
      code: 'not_found',
    });
    await runEverything(cheap.id);
    await replica.service.reconcileNow();
    const status = await env.client.call(getDeploymentRpc, { tenantId: 'user', id: deployment.id });
    expect(status).toMatchObject({ state: 'active', services: [expect.objectContaining({ running: 2 })] });
    expect(status.services[0]?.endpoints).toHaveLength(2);
    const { events } = await env.client.call(listDeploymentEventsRpc, {
      tenantId: 'user',
      id: deployment.id,
      after: 0,
      limit: 200,
    });
    expect(events.map((e) => e.type)).toEqual([
      'deploy.begin',
      'cluster.created',
      'cluster.node.created',
      'cluster.node.created',
      'deploy.complete',
    ]);
    const after = events[2]?.seq ?? 0;
    const resumed = await env.client.call(listDeploymentEventsRpc, {
      tenantId: 'user',
      id: deployment.id,
      after,
      limit: 200,
    });
    expect(resumed.events.map((e) => e.type)).toEqual(['cluster.node.created', 'deploy.complete']);
    expect(pricey.id).not.toBe(cheap.id);
  });

  it('fails over when a datacenter misses its heartbeats and fails back without dropping below desired', async () => {
    const first = await registerDatacenter('op', 'first', 1, 'us-east');
    const second = await registerDatacenter('op', 'second', 2, 'us-east');
    const deployment = await env.client.call(createDeploymentRpc, {
      tenantId: 'ff',
      source: webDeployment(2, 'us-east'),
    });
    expect(deployment.services[0]?.datacenterId).toBe(first.id);
    await runEverything(first.id);
    await beat(second.id);
    await replica.service.reconcileNow();

    // `first` goes silent: after two missed heartbeats it is down and the nodes start on `second`.
    clock.advance(2_500);
    await beat(second.id);
    await replica.service.reconcileNow();
    expect((await env.client.call(getDatacenterRpc, { tenantId: 'op', id: first.id })).state).toBe('down');
    let status = await env.client.call(getDeploymentRpc, { tenantId: 'ff', id: deployment.id });
    expect(status.services[0]).toMatchObject({ datacenterId: second.id, running: 0 });
    await runEverything(second.id);
    await replica.service.reconcileNow();
    status = await env.client.call(getDeploymentRpc, { tenantId: 'ff', id: deployment.id });
    expect(status.services[0]).toMatchObject({ datacenterId: second.id, running: 2 });

    // `first` returns (restarted, running nothing); only after it has stayed up for FAILBACK_AFTER_MS do nodes move back.
    agents.set(first.id, new Set());
    await beat(first.id);
    await replica.service.reconcileNow();
    expect(
      (await env.client.call(getDeploymentRpc, { tenantId: 'ff', id: deployment.id })).services[0]?.datacenterId,
    ).toBe(second.id);
    clock.advance(5_000);
    await beat(second.id);
    await beat(first.id);
    await replica.service.reconcileNow();
    status = await env.client.call(getDeploymentRpc, { tenantId: 'ff', id: deployment.id });
    // Moving back: the nodes on `second` still run while the new ones start on `first`.
    expect(status.services[0]).toMatchObject({ datacenterId: first.id, running: 2 });
    expect((await beat(second.id)).nodes).toHaveLength(2);
    await runEverything(first.id);
    await replica.service.reconcileNow();
    status = await env.client.call(getDeploymentRpc, { tenantId: 'ff', id: deployment.id });
    expect(status.services[0]).toMatchObject({ datacenterId: first.id, running: 2 });
    // Now the old ones are told to stop: `second`'s answer lists none, and once it stops reporting them they go.
    expect((await beat(second.id)).nodes).toEqual([]);
    await beat(second.id);
    expect(agents.get(second.id)?.size).toBe(0);
    const { events } = await env.client.call(listDeploymentEventsRpc, {
      tenantId: 'ff',
      id: deployment.id,
      after: 0,
      limit: 200,
    });
    const types = events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['cluster.down', 'cluster.node.down', 'placement.changed']));
    expect(events.filter((e) => e.type === 'placement.changed').map((e) => e.data.reason)).toEqual([
      'failover',
      'failback',
    ]);
  });

  it('answers an update plan without applying it on dry run, then applies it', async () => {
    const dc = await registerDatacenter('op', 'planner', 1, 'af-south');
    const deployment = await env.client.call(createDeploymentRpc, {
      tenantId: 'pl',
      source: webDeployment(2, 'af-south'),
    });
    const dry = await env.client.call(updateDeploymentRpc, {
      tenantId: 'pl',
      id: deployment.id,
      source: webDeployment(5, 'af-south'),
      dryRun: true,
    });
    expect(dry.plan).toEqual([
      expect.objectContaining({ service: 'web', add: 3, remove: 0, move: 0, toDatacenterId: dc.id }),
    ]);
    expect(dry.deployment).toBeUndefined();
    expect((await env.client.call(getDeploymentRpc, { tenantId: 'pl', id: deployment.id })).services[0]?.desired).toBe(
      2,
    );
    const applied = await env.client.call(updateDeploymentRpc, {
      tenantId: 'pl',
      id: deployment.id,
      source: webDeployment(1, 'af-south'),
      dryRun: false,
    });
    expect(applied.plan[0]).toMatchObject({ add: 0, remove: 1 });
    expect(applied.deployment).toMatchObject({ version: 2, services: [expect.objectContaining({ desired: 1 })] });
    const notified = await env.client.call(notifyDeploymentRpc, {
      tenantId: 'pl',
      id: deployment.id,
      event: 'deploy.complete',
    });
    expect(notified).toEqual({ notified: ['ops'], event: 'deploy.complete' });
    await expect(
      env.client.call(notifyDeploymentRpc, { tenantId: 'pl', id: deployment.id, notification: 'nobody' }),
    ).rejects.toMatchObject({ code: 'bad_request', details: [{ path: 'body.notification' }] });
  });
});
