import { randomBytes } from 'node:crypto';
import { createAppRpc, createDistrictRpc, getAppRpc, listAppEventsRpc } from '@overcast/contracts';
import { migrateDatabase } from '@overcast/db';
import { createAmqpBus, deleteAmqpTopology, type Bus } from '@overcast/messaging';
import {
  createTestDatabase,
  describeWithServices,
  testAmqpUrl,
  uniqueName,
  waitFor,
  type TestDatabase,
} from '@overcast/test-kit';
import { Client } from 'pg';
import { appManagerMigrationsDir } from '../src/service';
import { buildAppManagerBundle, type AppManagerBundle } from './support/app-manager-bundle';
import { startAppManagerProcess, type AppManagerProcess } from './support/app-manager-process';
import { startAwsEndpoint, type AwsCall, type AwsEndpoint } from './support/aws-endpoint';

const tenantId = 'tenant-killed';
const deploysPerKill = 10;
const deploysToCut = 100;

/**
 * Where a kill lands: the n-th call of a kind after the round's deploys start, before AWS acts on it (the work is
 * then done with its answer lost) or after it answered (done and answered, not yet committed). Between them they
 * cover every step of a deploy of a one-service app with a before_deploy: begin, before_deploy, service, monitor.
 */
const killPoints: { action: RegExp; step: string }[] = [
  { action: /^ECS CreateCluster$/, step: 'begin' },
  { action: /^ECS RunTask$/, step: 'before_deploy' },
  { action: /^ECS DescribeTasks$/, step: 'before_deploy' },
  { action: /^ECS RegisterTaskDefinition$/, step: 'service' },
  { action: /^ELB CreateLoadBalancer$/, step: 'service' },
  { action: /^Route53 POST .*\/rrset\/?$/, step: 'service' },
  { action: /^ECS CreateService$/, step: 'service' },
  { action: /^ECS DescribeTaskDefinition$/, step: 'monitor' },
];
/** A deploy's step index as the deploys table stores it, for this app's four steps. */
const stepNames = ['begin', 'before_deploy', 'service', 'monitor'];

/** Seeded, so a failing run can be repeated. */
function randomOf(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % below;
  };
}

describeWithServices('the app manager killed with SIGKILL during deploys', () => {
  let testDatabase: TestDatabase;
  let aws: AwsEndpoint;
  let client: Bus;
  let sql: Client;
  let running: AppManagerProcess | undefined;
  const namespace = uniqueName('apps-kill');
  const random = randomOf(Number(process.env.KILL_SEED ?? 13));
  let env: NodeJS.ProcessEnv;
  let bundle: AppManagerBundle;
  /** How long each restart took to answer ready (ms). */
  const restarts: number[] = [];

  /** A restart after a kill, from the bundle of the same main (tsx compiled it all again each time). */
  async function restart(): Promise<AppManagerProcess> {
    const started = performance.now();
    const child = await startAppManagerProcess(env, bundle);
    restarts.push(performance.now() - started);
    return child;
  }

  beforeAll(async () => {
    bundle = await buildAppManagerBundle();
    testDatabase = await createTestDatabase();
    await migrateDatabase({ url: testDatabase.url, schema: 'app_manager', migrationsDir: appManagerMigrationsDir });
    aws = await startAwsEndpoint({ zoneName: 'bcn.' });
    client = createAmqpBus({ url: testAmqpUrl(), namespace, rpcTimeoutMs: 15_000 });
    await client.start();
    sql = new Client({ connectionString: testDatabase.url });
    await sql.connect();
    env = {
      DATABASE_URL: testDatabase.url,
      AMQP_URL: testAmqpUrl(),
      BUS_NAMESPACE: namespace,
      OVERCAST_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      CONTAINER_PROVIDERS: 'aws',
      AWS_ENDPOINT_URL: aws.url,
      AWS_EC2_METADATA_DISABLED: 'true',
      DEPLOY_POLL_INTERVAL_MS: '5',
      JOB_MAX_ATTEMPTS: '20',
      JOB_RETRY_BASE_MS: '10',
    };
  });

  afterAll(async () => {
    running?.kill();
    await running?.exited;
    await sql?.end();
    await client?.stop();
    await aws?.close();
    await testDatabase?.drop();
    bundle?.remove();
    await deleteAmqpTopology({
      url: testAmqpUrl(),
      namespace,
      queues: ['app-manager', 'app-manager.instance-events'],
      services: ['app-manager'],
    });
  });

  async function deployState(app: string): Promise<string | null> {
    return (await client.call(getAppRpc, { tenantId, app })).deploy_state;
  }

  /** Starts this round's deploys held at their first AWS call, then lets them run into the kill. */
  async function deployThenKill(apps: string[], point: (typeof killPoints)[number], phase: 'before' | 'after') {
    const server = running;
    if (!server) throw new Error('no app manager running');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let seen = 0;
    const occurrence = 1 + random(3);
    let killed = false;
    aws.setHook(async (call: AwsCall, at) => {
      // Showing an app describes its services: reads pass, so the creates are answered while the deploys wait.
      if (at === 'before' && !call.action.includes(' Describe')) await held;
      if (killed || at !== phase || !point.action.test(call.action)) return;
      seen += 1;
      if (seen !== occurrence) return;
      killed = true;
      server.kill();
    });
    for (const app of apps) {
      await client.call(createAppRpc, {
        tenantId,
        district: 'bcn',
        name: app,
        image_name: 'nginx',
        before_deploy: 'echo hello',
        services: [{ name: 'web', public: true, port_mappings: [{ lb_port: 80, container_port: 80 }] }],
      });
    }
    release();
    await server.exited;
    aws.setHook(undefined);
    running = undefined;
    const cut = await sql.query<{ step: number }>("SELECT step FROM app_manager.deploys WHERE state = 'running'");
    return cut.rows.map((row) => stepNames[row.step] ?? String(row.step));
  }

  it(
    `finishes every deploy, ${deploysToCut} of them cut by a kill at each step, with no duplicate ECS service, load balancer or DNS record`,
    async () => {
      // The first main runs as operators run it, under tsx; each restart after a kill from the bundle.
      running = await startAppManagerProcess(env);
      await client.call(createDistrictRpc, {
        tenantId,
        name: 'bcn',
        provider: 'aws',
        region: 'eu-west-1',
        vpc_id: 'vpc-simulated',
        public_elb_security_group: 'sg-public',
        private_elb_security_group: 'sg-private',
        ecs_service_role: 'ecsServiceRole',
        private_hosted_zone_id: 'ZSIMULATED',
        aws_access_key_id: 'AKIDSIMULATED',
        aws_secret_access_key: 'simulated',
      });
      const cutAt = new Map<string, number>();
      const apps: string[] = [];
      /**
       * Per round, ms: deploys created to the kill + restart to ready + ready to every deploy done. A round whose
       * kill caught the outbox relay holding a deploy's job waits out the relay's 30 s claim before that deploy
       * resumes (a crashed relay's rows return after it).
       */
      const rounds: string[] = [];
      for (let round = 0; [...cutAt.values()].reduce((sum, n) => sum + n, 0) < deploysToCut; round += 1) {
        if (round >= 20) throw new Error(`20 kills cut only ${JSON.stringify(Object.fromEntries(cutAt))}`);
        const roundApps = Array.from({ length: deploysPerKill }, (_, index) => `app-${round}-${index}`);
        apps.push(...roundApps);
        const point = killPoints[round % killPoints.length];
        if (!point) throw new Error('no kill point');
        const phase = round % 2 === 0 ? 'before' : 'after';
        const roundStart = performance.now();
        for (const step of await deployThenKill(roundApps, point, phase)) cutAt.set(step, (cutAt.get(step) ?? 0) + 1);
        const killed = performance.now();
        running = await restart();
        const ready = performance.now();
        await waitFor(
          `round ${round}: every deploy resumed to done`,
          async () => (await Promise.all(roundApps.map(deployState))).every((state) => state === 'done'),
          // Past the outbox relay's 30 s claim, which a deploy whose job the dead relay held waits out from the kill:
          // a restart that is ready sooner leaves more of that claim to wait here.
          { timeoutMs: 60_000, intervalMs: 50 },
        );
        const ms = (from: number, to: number) => Math.round(to - from);
        rounds.push(`${ms(roundStart, killed)}+${ms(killed, ready)}+${ms(ready, performance.now())}`);
      }
      process.stdout.write(`deploys cut by a kill, by step: ${JSON.stringify(Object.fromEntries(cutAt))}\n`);
      const mean = restarts.reduce((sum, ms) => sum + ms, 0) / restarts.length;
      process.stdout.write(`${restarts.length} restarts, ready after ${Math.round(mean)} ms on average\n`);
      process.stdout.write(`rounds (ms to the kill + to ready + to every deploy done): ${rounds.join(', ')}\n`);
      expect([...cutAt.keys()].sort()).toEqual([...stepNames].sort());

      expect(aws.ecs.services.size).toBe(apps.length);
      expect(aws.balancers.size).toBe(apps.length);
      expect(aws.records.size).toBe(apps.length);
      expect(aws.created()).toMatchObject({ services: apps.length, loadBalancers: apps.length, records: apps.length });
      expect(aws.ecs.refusedCreates()).toBe(0);
      for (const app of apps) {
        const { events } = await client.call(listAppEventsRpc, { tenantId, app });
        expect(events.map((event) => event.message)).toEqual([
          'web(nginx:latest) deployed',
          'before_deploy script `echo hello` successfully finished',
          `Deploying ${app}(nginx:latest) to bcn district...`,
        ]);
      }
    },
    // About a minute on an idle machine; each restart costs more under load.
    360_000,
  );
});
