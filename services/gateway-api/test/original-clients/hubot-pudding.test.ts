import { describeWithServices, waitFor } from '@overcast/test-kit';
import {
  hubotRequestHeaders,
  send,
  startOriginalClientsStack,
  type OriginalClientsStack,
} from './original-clients-harness';

// travis-ci/hubot-pudding (scripts/pudding.coffee), every command as its code sends it: robot.http with
// `Authorization: token <t>` and no Content-Type, list filters interpolated whether set or not (`?site=&env=&role=`,
// `?role=&active=`), a build body from JSON.stringify (undefined options dropped, `ami: ''`, `role: ''` when no
// default role is configured), builds with EC2 types (`c3.2xlarge`, count 4 from its defaults table), termination by
// `i-` plus the 8 characters its command's pattern captures. It checks statuses (200, 202), then formats fields.

interface ListedInstance {
  id: string;
  instance_type: string;
  launch_time: string;
  ip: string;
  private_ip: string;
  name: string;
  site: string | null;
  env: string | null;
}

const room = 'ops';
const defaultRole = '';

/** format_instance's sprintf: every named field must be there (ip is replaced by `_` first when empty). */
function formatInstance(instance: ListedInstance): string {
  for (const field of ['id', 'instance_type', 'launch_time', 'ip', 'private_ip', 'name'] as const)
    expect(typeof instance[field]).toBe('string');
  const ip = instance.ip === '' ? '_' : instance.ip;
  return `${instance.id}:  ${instance.instance_type}  ${instance.launch_time}  ${ip.padEnd(15)} ${instance.private_ip.padEnd(15)}\t${instance.name}\n`;
}

describeWithServices('travis-ci/hubot-pudding, unmodified, against Overcast', () => {
  let stack: OriginalClientsStack;
  const headers = () => hubotRequestHeaders(stack.token);

  beforeAll(async () => {
    stack = await startOriginalClientsStack();
    // The operator's catalog, as pudding's ec2-sync found images tagged with a role: builds boot the active one.
    const image = {
      provider: 'fake',
      image_id: 'standard-image',
      role: 'worker',
      name: 'worker-2026-12',
      active: true,
    };
    const registered = await fetch(`${stack.gateway.url}/images`, {
      method: 'POST',
      headers: { authorization: `token ${stack.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(image),
    });
    expect(registered.status).toBe(201);
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** start_instance: the body of `start instance in <site> <env> [with k=v …]` with its defaults table. */
  async function startInstance(site: string, env: string, options: Record<string, string> = {}) {
    const instanceType = options.instance_type ?? 'c3.2xlarge';
    const counts: Record<string, number> = { 'c3.2xlarge': 4, 'c3.4xlarge': 8, 'c3.8xlarge': 16 };
    const body = JSON.stringify({
      instance_builds: {
        site,
        env,
        role: options.role ?? defaultRole,
        ami: options.ami ?? '',
        instance_type: instanceType,
        count: Number.parseInt(options.count ?? String(counts[instanceType]), 10),
        queue: options.queue ?? 'docker',
        subnet_id: undefined,
        security_group_id: undefined,
      },
    });
    const response = await send(stack, 'POST', `/instance-builds?slack-channel=${room}`, headers(), body);
    expect(response.status).toBe(202);
    const build = (JSON.parse(response.body) as { instance_builds: { id: string }[] }).instance_builds[0];
    expect(build?.id).toMatch(/^[0-9a-f-]{36}$/);
    return build?.id ?? '';
  }

  /** list_instances: 200, then body_json['instances']. */
  async function listInstances(site: string, env: string): Promise<ListedInstance[]> {
    const response = await send(stack, 'GET', `/instances?site=${site}&env=${env}&role=${defaultRole}`, headers());
    expect(response.status).toBe(200);
    return (JSON.parse(response.body) as { instances: ListedInstance[] }).instances;
  }

  it('start instance in org staging: a build of c3.2xlarge that boots an instance', async () => {
    const buildId = await startInstance('org', 'staging');
    const booted = await waitFor(
      'the build’s instance',
      async () =>
        (await listInstances('org', 'staging')).find((instance) =>
          instance.name.startsWith('worker-org-staging-docker-'),
        ),
      { intervalMs: 200 },
    );
    expect(booted.instance_type).toBe('c3.2xlarge');
    // One instance, as pudding's worker booted (RunInstances of 1): count 4 is that worker's VM concurrency.
    const build = await send(stack, 'GET', `/instance-builds/${buildId}`, headers());
    expect(JSON.parse(build.body)).toMatchObject({ instance_builds: [{ count: 4, instance_ids: [booted.id] }] });
  });

  it('start instance … with count=1 instance_type=c3.4xlarge queue=docker role=worker', async () => {
    await startInstance('com', 'prod', { count: '1', instance_type: 'c3.4xlarge', queue: 'docker', role: 'worker' });
  });

  it('list instances, list all instances, list instances in org staging (order by launch_time): every item formats', async () => {
    const all = await listInstances('', '');
    expect(all.length).toBeGreaterThan(0);
    const inOrgStaging = await listInstances('org', 'staging');
    expect(inOrgStaging.length).toBeGreaterThan(0);
    const sorted = [...inOrgStaging].sort((a, b) => (a.launch_time > b.launch_time ? 1 : -1));
    for (const instance of sorted) expect(formatInstance(instance)).toContain(instance.name);
  });

  it('summarize instances: counts per site and env from the same list', async () => {
    const all = await listInstances('', '');
    const total = (site: string, env: string) => all.filter((i) => i.site === site && i.env === env).length;
    expect(total('org', 'staging')).toBeGreaterThan(0);
  });

  it('terminate instance i-<id>: 202 for the instance its pattern captures, and for an id naming nothing', async () => {
    const [listed] = await listInstances('org', 'staging');
    // The chat line a user types after reading the list; the command's own pattern takes what it sends.
    const captured = /terminate instance (i-[a-z0-9]{8})/i.exec(`terminate instance i-${listed?.id ?? ''}`)?.[1];
    expect(captured).toBe(`i-${listed?.id.slice(0, 8)}`);
    const terminated = await send(stack, 'DELETE', `/instances/${captured}?slack-channel=${room}`, headers());
    expect(terminated.status).toBe(202);
    const response = await send(stack, 'GET', `/instances/${listed?.id}`, headers());
    expect(JSON.parse(response.body)).toMatchObject({ state: expect.stringMatching(/^terminat/) });
    // Pudding's list held the instances EC2 still ran: once terminated, `list instances` no longer prints it.
    await waitFor(
      'the terminated instance gone from the list',
      async () => !(await listInstances('org', 'staging')).some((instance) => instance.id === listed?.id),
      { intervalMs: 200 },
    );
    const listedTerminated = await send(stack, 'GET', `/instances?state=terminated`, headers());
    expect(JSON.parse(listedTerminated.body)).toMatchObject({
      instances: [expect.objectContaining({ id: listed?.id })],
    });

    const unknown = await send(stack, 'DELETE', `/instances/i-bogus123?slack-channel=${room}`, headers());
    expect(unknown.status).toBe(202);
  });

  it.each([
    ['list images', '', ''],
    ['list images for worker', 'worker', ''],
    ['list active images', '', 'true'],
  ])('%s: 200 and images with image_id, role and name', async (_command, role, active) => {
    const response = await send(stack, 'GET', `/images?role=${role}&active=${active}`, headers());
    expect(response.status).toBe(200);
    const { images } = JSON.parse(response.body) as { images: Record<string, unknown>[] };
    for (const image of images) {
      expect(typeof image.image_id).toBe('string');
      expect(typeof image.role).toBe('string');
      expect(typeof image.name).toBe('string');
      expect(typeof image.active).toBe('boolean');
    }
  });
});
