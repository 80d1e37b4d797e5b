import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@overcast/test-kit';
import type { DistrictPlatform, LocalContainerPlatform, TaskDefinitionInput, TaskState } from '../../src';
import { createLocalContainerPlatform, helloWebImage, serviceStatusOf } from '../../src';

const web = { app: 'hello', service: 'web' };
const definition: TaskDefinitionInput = {
  ...web,
  image: 'hello-web:latest',
  cpu: 512,
  memory: 512,
  command: null,
  env: { GREETING: 'hello' },
  portMappings: [{ lbPort: 8080, containerPort: 8080, hostPort: 18080 }],
  release: 1,
};

interface Answer {
  app: string;
  service: string;
  task: string;
  release: number;
  greeting: string;
}

async function ask(url: string, times: number): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let index = 0; index < times; index += 1) answers.push((await (await fetch(url)).json()) as Answer);
  return answers;
}

describe('local container platform', () => {
  let platform: LocalContainerPlatform;
  let district: DistrictPlatform;
  let dataDir: string;
  // Addresses of their own, apart from any other run's (127.101 is the default).
  const addressPrefix = `127.${200 + Math.floor(Math.random() * 50)}`;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'overcast-containers-'));
    platform = createLocalContainerPlatform(
      { dataDir, addressPrefix, probeIntervalMs: 50, restartDelayMs: 50, terminationGraceMs: 2_000 },
      { warn: () => undefined },
    );
    district = platform.forDistrict({ name: 'local' });
    await district.ensureCluster();
  });

  afterEach(async () => {
    await platform.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function deploy(input: TaskDefinitionInput, desiredCount: number) {
    const taskDefinition = await district.registerTaskDefinition(input);
    const loadBalancer = await district.ensureLoadBalancer({ ...web, public: true, portMappings: input.portMappings });
    await district.ensureService({
      ...web,
      taskDefinition: taskDefinition.id,
      desiredCount,
      clientToken: 'c',
      loadBalancer,
    });
    await waitFor(
      'the service to be active',
      async () => serviceStatusOf(await district.describeService(web)) === 'active',
    );
    return { url: `http://${loadBalancer.dnsName}:8080/`, taskDefinition };
  }

  it('spreads 100 requests over all 3 tasks, then over the one left after scaling to 1', async () => {
    const { url } = await deploy(definition, 3);

    const answers = await ask(url, 100);
    expect(new Set(answers.map((answer) => answer.task)).size).toBe(3);
    expect(answers[0]).toMatchObject({ app: 'hello', service: 'web', release: 1, greeting: 'hello' });

    await district.scaleService(web, 1);
    await waitFor(
      'one running task',
      async () => (await district.describeService(web))?.deployments[0]?.runningCount === 1,
    );
    await waitFor(
      'one task answering',
      async () => new Set((await ask(url, 10)).map((answer) => answer.task)).size === 1,
    );
    expect(new Set((await ask(url, 100)).map((answer) => answer.task)).size).toBe(1);
  });

  it('rolls out a new greeting as a new release, and rolls back to the old one', async () => {
    const first = await deploy(definition, 2);
    const second = await district.registerTaskDefinition({ ...definition, env: { GREETING: 'bonjour' }, release: 2 });

    await district.ensureService({ ...web, taskDefinition: second.id, desiredCount: 2, clientToken: 'c2' });
    await waitFor('the new greeting', async () =>
      (await ask(first.url, 20)).every((answer) => answer.greeting === 'bonjour'),
    );
    expect(await district.describeService(web)).toMatchObject({ taskDefinition: 'hello-web:2', envKeys: ['GREETING'] });

    await district.ensureService({
      ...web,
      taskDefinition: first.taskDefinition.id,
      desiredCount: 2,
      clientToken: 'c3',
    });
    await waitFor('the old greeting', async () =>
      (await ask(first.url, 20)).every((a) => a.greeting === 'hello' && a.release === 1),
    );
  });

  it('replaces a task killed by hand', async () => {
    const { url } = await deploy(definition, 2);
    const before = new Set((await ask(url, 20)).map((answer) => answer.task));
    const victim = (await ask(url, 1))[0]?.task;

    const pid = platform.tasksOf('local', web).find((task) => task.id === victim)?.pid;
    process.kill(pid ?? 0, 'SIGKILL');

    const after = await waitFor('a replacement task', async () => {
      const tasks = new Set((await ask(url, 20)).map((answer) => answer.task));
      return tasks.size === 2 && !tasks.has(victim ?? '') ? tasks : undefined;
    });
    expect([...after].filter((task) => before.has(task))).toHaveLength(1);
  });

  it('replaces a task that was healthy and then fails its health checks', async () => {
    // Listens on its own address, stops listening 300 ms later and stays alive: a task its balancer must not keep.
    const deafAfterAWhile = [
      "const server = require('node:net').createServer((socket) => socket.end())",
      '.listen(Number(process.env.PORT), process.env.OVERCAST_TASK_IP, () => setTimeout(() => server.close(), 300));',
      'setInterval(() => undefined, 1000);',
    ].join('');
    const warnings: string[] = [];
    const deaf = createLocalContainerPlatform(
      {
        addressPrefix,
        probeIntervalMs: 50,
        terminationGraceMs: 500,
        images: { deaf: { ...helloWebImage, env: {}, entrypoint: [process.execPath, '-e', deafAfterAWhile] } },
      },
      { warn: (message) => void warnings.push(message) },
    );
    try {
      const local = deaf.forDistrict({ name: 'deaf' });
      await local.ensureCluster();
      const deafDefinition = await local.registerTaskDefinition({ ...definition, image: 'deaf' });
      await local.ensureService({ ...web, taskDefinition: deafDefinition.id, desiredCount: 1, clientToken: 'c' });
      const [first] = await waitFor('a task', async () => {
        const tasks = deaf.tasksOf('deaf', web);
        return tasks.length > 0 ? tasks : undefined;
      });

      await waitFor('its replacement', async () =>
        deaf.tasksOf('deaf', web).some((task) => task.id !== first?.id && !warnings.join().includes(task.id)),
      );
      expect(warnings.find((warning) => warning.includes(first?.id ?? '?'))).toMatch(/failed 3 health checks/);
    } finally {
      await deaf.close();
    }
  });

  it('starts a district again from its data dir after a restart: same balancer address, new tasks', async () => {
    const { url } = await deploy(definition, 2);
    const before = new Set((await ask(url, 10)).map((answer) => answer.task));

    await platform.close();
    platform = createLocalContainerPlatform(
      { dataDir, addressPrefix, probeIntervalMs: 50, restartDelayMs: 50, terminationGraceMs: 2_000 },
      { warn: () => undefined },
    );
    district = platform.forDistrict({ name: 'local' });

    await waitFor(
      'the service active again',
      async () => serviceStatusOf(await district.describeService(web)) === 'active',
    );
    const after = await waitFor('both new tasks answering', async () => {
      const tasks = new Set((await ask(url, 20)).map((answer) => answer.task));
      return tasks.size === 2 ? tasks : undefined;
    });
    expect([...after].some((task) => before.has(task))).toBe(false);
    expect(await district.describeService(web)).toMatchObject({ desiredCount: 2, taskDefinition: 'hello-web:1' });
  });

  it('starts a district again after its control plane was killed: the leftovers stopped, the balancer claimed alone', async () => {
    const crashedDir = mkdtempSync(join(tmpdir(), 'overcast-containers-crashed-'));
    const crashedPrefix = `127.${150 + Math.floor(Math.random() * 40)}`;
    const crashed = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(__dirname, '..', 'support', 'crashing-container-platform.ts'),
        crashedDir,
        crashedPrefix,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let restarted: LocalContainerPlatform | undefined;
    const warnings: string[] = [];
    try {
      const printed = await waitFor(
        'the first control plane to deploy',
        () => {
          const line = String(crashed.stdout.read() ?? '');
          return line.startsWith('deployed ') ? line : undefined;
        },
        { timeoutMs: 60_000 },
      );
      const url = `http://${printed.slice('deployed '.length).trim()}:8080/`;
      // Active means each task answers on its own address; the balancer's may take a moment longer.
      const tasksAnswering = (count: number) =>
        waitFor(`${count} tasks answering on the balancer`, async () => {
          const tasks = new Set((await ask(url, 20).catch(() => [])).map((answer) => answer.task));
          return tasks.size === count ? tasks : undefined;
        });
      const before = await tasksAnswering(2);
      crashed.kill('SIGKILL');
      await new Promise((resolve) => crashed.once('exit', resolve));
      // Its tasks outlived it and still answer on the balancer's address.
      expect((await ask(url, 4)).every((answer) => before.has(answer.task))).toBe(true);

      restarted = createLocalContainerPlatform(
        { dataDir: crashedDir, addressPrefix: crashedPrefix, probeIntervalMs: 50, restartDelayMs: 50 },
        { warn: (message) => void warnings.push(message) },
      );
      const again = restarted.forDistrict({ name: 'local' });
      await waitFor(
        'the service active again',
        async () => serviceStatusOf(await again.describeService(web)) === 'active',
      );
      // The balancer was restored before the service's tasks started (a refused claim would be warned here).
      expect(warnings).toEqual(['local container platform: stopped 2 task(s) a previous run left']);
      const after = await tasksAnswering(2);
      expect([...after].some((task) => before.has(task))).toBe(false);
    } finally {
      crashed.kill('SIGKILL');
      await restarted?.close();
      rmSync(crashedDir, { recursive: true, force: true });
    }
  });

  it("runs a one-off with the image's program, capturing output and exit code, once per token", async () => {
    const oneoff = await district.registerTaskDefinition({ ...definition, service: 'oneoff', portMappings: [] });
    const run = (command: string, clientToken: string) =>
      district.runTask({ app: 'hello', taskDefinition: oneoff.id, command, clientToken });
    const stopped = (id: string) =>
      waitFor('the task to stop', async () => {
        const state = await district.describeTask(id);
        return state?.status === 'STOPPED' ? state : undefined;
      });

    const echo = await run('echo hello world', 'o1');
    const again = await run('echo hello world', 'o1');
    const failing = await run('exit 3', 'o2');
    const shell = await run('rm -rf /tmp/never', 'o3');

    expect(again.id).toBe(echo.id);
    expect(await stopped(echo.id)).toMatchObject<Partial<TaskState>>({ exitCode: 0, output: 'hello world\n' });
    expect(await stopped(failing.id)).toMatchObject({ exitCode: 3 });
    // The command is the image program's arguments, never run by a shell.
    expect(await stopped(shell.id)).toMatchObject({
      exitCode: 2,
      output: expect.stringContaining('unknown command "rm"'),
    });
  });

  it('backs off replacing a task that keeps dying, doubling the wait each time', async () => {
    const exits: number[] = [];
    const crashing = createLocalContainerPlatform(
      { addressPrefix, probeIntervalMs: 50, restartDelayMs: 150, terminationGraceMs: 500 },
      { warn: (message) => void (message.includes('exited') && exits.push(Date.now())) },
    );
    try {
      const local = crashing.forDistrict({ name: 'crash' });
      await local.ensureCluster();
      const crashingDefinition = await local.registerTaskDefinition({
        ...definition,
        command: 'exit 1',
        portMappings: [],
      });
      await local.ensureService({ ...web, taskDefinition: crashingDefinition.id, desiredCount: 1, clientToken: 'c' });

      await waitFor('five deaths', () => exits.length >= 5, { timeoutMs: 15_000 });
      const gaps = exits.slice(1).map((at, index) => at - (exits[index] ?? at));
      // Waits of 150, 300, 600, 1,200 ms between the deaths (plus each task's start-up, which varies with the host's load).
      expect((gaps[3] ?? 0) - (gaps[0] ?? 0)).toBeGreaterThan(500);
    } finally {
      await crashing.close();
    }
  });

  it('refuses a balancer whose port another listener holds, naming the port', async () => {
    // The district's first address: where its first balancer goes.
    const holder = createTcpServer();
    await new Promise<void>((resolve) => holder.listen(8080, `${addressPrefix}.0.1`, resolve));
    try {
      await expect(
        district.ensureLoadBalancer({ ...web, public: true, portMappings: definition.portMappings }),
      ).rejects.toMatchObject({ code: 'EADDRINUSE', message: expect.stringContaining(`${addressPrefix}.0.1:8080`) });
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it("refuses a balancer address that another control plane's leftover task holds, naming its pid, and takes it once it is gone", async () => {
    // A hello-web task a dead control plane left (tasks are detached and outlive it): it listens on the address this
    // district's first balancer gets, with SO_REUSEPORT as tasks do, so the kernel would let this service's tasks join it.
    const address = `${addressPrefix}.0.1`;
    const leftover = spawn(helloWebImage.entrypoint?.[0] ?? '', helloWebImage.entrypoint?.slice(1) ?? [], {
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: {
        OVERCAST_TASK_ID: 'web-left0ver',
        OVERCAST_TASK_IP: '127.0.0.1',
        PORT: '0',
        OVERCAST_LB_IP: address,
        OVERCAST_LB_PORT: '8080',
      },
    });
    const gone = new Promise((resolve) => leftover.once('exit', resolve));
    try {
      await waitFor('the leftover to listen', async () => {
        const probe = createTcpServer();
        const free = await new Promise<boolean>((resolve) => {
          probe.once('error', () => resolve(false));
          probe.listen(8080, address, () => probe.close(() => resolve(true)));
        });
        return !free;
      });

      const input = { ...web, public: true, portMappings: definition.portMappings };
      const refusal = district.ensureLoadBalancer(input);
      await expect(refusal).rejects.toMatchObject({ code: 'EADDRINUSE', retryable: false });
      const message = await refusal.catch((error: Error) => error.message);
      expect(message).toContain(`${address}:8080 is already held by pid ${leftover.pid} (task web-left0ver)`);
      expect(message).toContain('this control plane does not run');

      process.kill(-(leftover.pid ?? 0), 'SIGKILL');
      await gone;
      // Nothing of the leftover answers for the service: its own tasks alone do.
      const { url } = await deploy(definition, 2);
      const tasks = new Set((await ask(url, 20)).map((answer) => answer.task));
      expect(tasks.size).toBe(2);
      expect(tasks.has('web-left0ver')).toBe(false);
    } finally {
      try {
        process.kill(-(leftover.pid ?? 0), 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  });

  it('starts one balancer for two concurrent ensures of the same service', async () => {
    const input = { ...web, public: true, portMappings: definition.portMappings };

    const [first, second] = await Promise.all([district.ensureLoadBalancer(input), district.ensureLoadBalancer(input)]);

    expect(second.dnsName).toBe(first.dnsName);
  });

  it('keeps the newest stopped one-offs up to its bound and forgets older ones', async () => {
    const bounded = createLocalContainerPlatform({ addressPrefix, keptStoppedTasks: 2 }, { warn: () => undefined });
    try {
      const local = bounded.forDistrict({ name: 'bounded' });
      await local.ensureCluster();
      const oneoff = await local.registerTaskDefinition({ ...definition, service: 'oneoff', portMappings: [] });
      const ids: string[] = [];
      for (const token of ['a', 'b', 'c']) {
        const { id } = await local.runTask({
          app: 'hello',
          taskDefinition: oneoff.id,
          command: 'echo hi',
          clientToken: token,
        });
        await waitFor('the one-off to stop', async () => (await local.describeTask(id))?.status === 'STOPPED');
        ids.push(id);
      }

      await local.runTask({ app: 'hello', taskDefinition: oneoff.id, command: 'echo hi', clientToken: 'd' });

      expect(await Promise.all(ids.map((id) => local.describeTask(id).then((task) => task?.status ?? null)))).toEqual([
        null,
        'STOPPED',
        'STOPPED',
      ]);
    } finally {
      await bounded.close();
    }
  });

  it('refuses an image the catalog has no program for', async () => {
    await expect(district.registerTaskDefinition({ ...definition, image: 'ubuntu:latest' })).rejects.toMatchObject({
      code: 'IMAGE_NOT_FOUND',
    });
  });
});

/** One request on a connection of its own (no keep-alive), as curl in a loop sends them. */
function askOnce(url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve(JSON.parse(body) as Answer));
    }).on('error', reject);
  });
}

describe('local container platform with tcp balancers', () => {
  it('spreads connections over all tasks, and closing cuts kept-alive connections', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'overcast-containers-tcp-'));
    const platform = createLocalContainerPlatform(
      {
        dataDir,
        addressPrefix: `127.${150 + Math.floor(Math.random() * 40)}`,
        probeIntervalMs: 50,
        balancerProtocol: 'tcp',
      },
      { warn: () => undefined },
    );
    try {
      const district = platform.forDistrict({ name: 'local' });
      await district.ensureCluster();
      const taskDefinition = await district.registerTaskDefinition(definition);
      const loadBalancer = await district.ensureLoadBalancer({
        ...web,
        public: true,
        portMappings: definition.portMappings,
      });
      await district.ensureService({
        ...web,
        taskDefinition: taskDefinition.id,
        desiredCount: 3,
        clientToken: 'c',
        loadBalancer,
      });
      await waitFor(
        'the service active',
        async () => serviceStatusOf(await district.describeService(web)) === 'active',
      );
      const url = `http://${loadBalancer.dnsName}:8080/`;

      const separate = await Promise.all(Array.from({ length: 30 }, () => askOnce(url)));
      expect(new Set(separate.map((answer) => answer.task)).size).toBe(3);
      // A kept-alive client stays connected through close: close must cut it, not wait for it.
      expect((await ask(url, 5)).length).toBe(5);
      expect((await district.describeService(web))?.loadBalancer?.listeners).toEqual([
        { protocol: 'TCP', lbPort: 8080, instancePort: 18080 },
      ]);
    } finally {
      await platform.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
