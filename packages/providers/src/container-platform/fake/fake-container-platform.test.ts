import { ProviderError } from '../../core/compute';
import type { TaskDefinitionInput } from '../container-platform';
import { serviceStatusOf } from '../names';
import { createFakeContainerPlatform } from './fake-container-platform';

const district = { name: 'default' };
const web = { app: 'nginx', service: 'web' };
const definition: TaskDefinitionInput = {
  ...web,
  image: 'nginx:latest',
  cpu: 128,
  memory: 256,
  command: null,
  env: { RAILS_ENV: 'production', SECRET_KEY_BASE: 'abcdef' },
  portMappings: [{ lbPort: 80, containerPort: 80, hostPort: 10080 }],
  release: 1,
};

async function deployWeb(platform = createFakeContainerPlatform()) {
  const cluster = platform.forDistrict(district);
  await cluster.ensureCluster();
  const taskDefinition = await cluster.registerTaskDefinition(definition);
  const loadBalancer = await cluster.ensureLoadBalancer({
    ...web,
    public: true,
    portMappings: definition.portMappings,
  });
  const service = await cluster.ensureService({
    ...web,
    taskDefinition: taskDefinition.id,
    desiredCount: 1,
    clientToken: 'deploy-1-web',
    loadBalancer,
  });
  return { platform, cluster, taskDefinition, loadBalancer, service };
}

describe('fake container platform', () => {
  it('deploys a service behind a load balancer with a DNS record, and describes it', async () => {
    const { cluster, taskDefinition, loadBalancer, service } = await deployWeb();

    expect(taskDefinition).toEqual({ family: 'nginx-web', revision: 1, id: 'nginx-web:1' });
    expect(loadBalancer).toMatchObject({
      name: 'nginx-web',
      recordName: 'web.nginx.overcast.fake.',
      containerName: 'web',
      containerPort: 80,
    });
    expect(service).toMatchObject({ name: 'nginx-web', created: true });
    const live = await cluster.describeService(web);
    expect(live).toMatchObject({
      desiredCount: 1,
      runningCount: 1,
      taskDefinition: 'nginx-web:1',
      image: 'nginx:latest',
      envKeys: ['RAILS_ENV', 'SECRET_KEY_BASE'],
      loadBalancer: { name: 'nginx-web', listeners: [{ protocol: 'TCP', lbPort: 80, instancePort: 10080 }] },
    });
    expect(serviceStatusOf(live)).toBe('active');
  });

  it('makes each resource once however often a step is retried, lost responses included', async () => {
    const platform = createFakeContainerPlatform();
    platform.failNext('ensureService', { kind: 'lost-response' });
    platform.failNext('ensureLoadBalancer', { kind: 'lost-response' });
    const cluster = platform.forDistrict(district);
    await cluster.ensureCluster();
    const { id } = await cluster.registerTaskDefinition(definition);
    const input = { ...web, public: false, portMappings: definition.portMappings };

    await expect(cluster.ensureLoadBalancer(input)).rejects.toMatchObject({ code: 'FAKE_LOST_RESPONSE' });
    const loadBalancer = await cluster.ensureLoadBalancer(input);
    const service = { ...web, taskDefinition: id, desiredCount: 2, clientToken: 't', loadBalancer };
    await expect(cluster.ensureService(service)).rejects.toBeInstanceOf(ProviderError);
    const retried = await cluster.ensureService(service);

    expect(retried.created).toBe(false);
    expect(platform.creations).toEqual({ services: 1, loadBalancers: 1, records: 1, tasks: 0 });
  });

  it('rolls a new task definition out over rolloutMs, the old deployment draining meanwhile', async () => {
    let clock = 0;
    const { cluster } = await deployWeb(createFakeContainerPlatform({ rolloutMs: 100, now: () => clock }));
    clock = 100;
    const next = await cluster.registerTaskDefinition({ ...definition, image: 'nginx:v3', release: 2 });
    await cluster.ensureService({ ...web, taskDefinition: next.id, desiredCount: 1, clientToken: 'deploy-2-web' });

    expect(serviceStatusOf(await cluster.describeService(web))).toBe('deploying');
    clock = 200;
    const live = await cluster.describeService(web);
    expect(serviceStatusOf(live)).toBe('active');
    expect(live).toMatchObject({ taskDefinition: 'nginx-web:2', image: 'nginx:v3' });
  });

  it('shows a console edit in describe until the next update overwrites it', async () => {
    const { platform, cluster, taskDefinition } = await deployWeb();
    platform.editService('default', web, { desiredCount: 5, envKeys: ['EDITED'] });

    expect(await cluster.describeService(web)).toMatchObject({ desiredCount: 5, envKeys: ['EDITED'] });
    await cluster.ensureService({ ...web, taskDefinition: taskDefinition.id, desiredCount: 1, clientToken: 'x' });
    expect(await cluster.describeService(web)).toMatchObject({
      desiredCount: 1,
      envKeys: ['RAILS_ENV', 'SECRET_KEY_BASE'],
    });
  });

  it('scales, and refuses to scale a service that does not exist', async () => {
    const { cluster } = await deployWeb();

    await cluster.scaleService(web, 3);
    expect((await cluster.describeService(web))?.desiredCount).toBe(3);
    await expect(cluster.scaleService({ app: 'nginx', service: 'nope' }, 1)).rejects.toMatchObject({
      code: 'SERVICE_NOT_FOUND',
    });
  });

  it('deletes a service with its load balancer, record and schedule; deleting again is success', async () => {
    const { platform, cluster, taskDefinition } = await deployWeb();
    await cluster.scheduleTask({ ...web, schedule: '* * * * *', taskDefinition: taskDefinition.id });

    await cluster.deleteService(web);
    await cluster.deleteService(web);

    expect(await cluster.describeService(web)).toBeNull();
    const state = platform.cluster('default');
    expect([state.loadBalancers.size, state.records.size, state.schedules.size]).toEqual([0, 0, 0]);
  });

  it('runs a task to its scripted exit code and output, once per client token', async () => {
    let clock = 0;
    const platform = createFakeContainerPlatform({
      taskMs: 50,
      now: () => clock,
      taskOutcome: (command) =>
        command === 'false' ? { exitCode: 1, output: '' } : { exitCode: 0, output: 'hello\n' },
    });
    const cluster = platform.forDistrict(district);
    await cluster.ensureCluster();
    const oneoff = await cluster.registerTaskDefinition({ ...definition, service: 'oneoff', portMappings: [] });

    const started = await cluster.runTask({
      app: 'nginx',
      taskDefinition: oneoff.id,
      command: 'echo hello',
      clientToken: 'o1',
    });
    const again = await cluster.runTask({
      app: 'nginx',
      taskDefinition: oneoff.id,
      command: 'echo hello',
      clientToken: 'o1',
    });
    const failing = await cluster.runTask({
      app: 'nginx',
      taskDefinition: oneoff.id,
      command: 'false',
      clientToken: 'o2',
    });
    clock = 50;

    expect(started).toMatchObject({ status: 'RUNNING', exitCode: null });
    expect(again.id).toBe(started.id);
    expect(await cluster.describeTask(started.id)).toMatchObject({ status: 'STOPPED', exitCode: 0, output: 'hello\n' });
    expect(await cluster.describeTask(failing.id)).toMatchObject({ status: 'STOPPED', exitCode: 1 });
    expect(platform.creations.tasks).toBe(2);
  });

  it('hands cron schedules to Overcast and fails injected errors before doing anything', async () => {
    const platform = createFakeContainerPlatform();
    const cluster = platform.forDistrict(district);
    platform.failNext('ensureCluster', { retryable: false });

    await expect(cluster.ensureCluster()).rejects.toMatchObject({ retryable: false, code: 'FAKE_FAILURE' });
    await expect(cluster.runTask({ app: 'a', taskDefinition: 'x:1', clientToken: 'c' })).rejects.toMatchObject({
      code: 'CLUSTER_NOT_FOUND',
    });
    await cluster.ensureCluster();
    expect(await cluster.scheduleTask({ ...web, schedule: '* * * * *', taskDefinition: 'x:1' })).toEqual({
      name: 'nginx-web',
      triggeredBy: 'overcast',
    });
    expect(platform.calls.ensureCluster).toBe(2);
  });
});
