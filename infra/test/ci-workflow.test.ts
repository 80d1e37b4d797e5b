import { list, readYaml, record } from './repository';

const workflow = record(readYaml('.github', 'workflows', 'ci.yml'), 'ci.yml');
const job = record(record(workflow.jobs, 'jobs').test, 'jobs.test');
const services = record(job.services, 'jobs.test.services');
const env = record(job.env, 'jobs.test.env') as Record<string, string>;
const steps = list(job.steps, 'steps').map((step) => record(step, 'step'));

function serviceEnv(name: string): Record<string, string> {
  return record(record(services[name], name).env, `${name}.env`) as Record<string, string>;
}

describe('.github/workflows/ci.yml', () => {
  it('runs on every push and pull request, on ubuntu-latest', () => {
    expect(Object.keys(record(workflow.on, 'on')).sort()).toEqual(['pull_request', 'push']);
    expect(job['runs-on']).toBe('ubuntu-latest');
  });

  it.each(['postgres', 'rabbitmq'])('starts %s as a service container with a health check', (name) => {
    expect(String(record(services[name], name).options)).toContain('--health-cmd');
  });

  it('points DATABASE_URL and AMQP_URL at the service containers with their credentials', () => {
    const postgres = serviceEnv('postgres');
    const database = new URL(env.DATABASE_URL ?? '');
    expect([database.hostname, database.port, database.username, database.password, database.pathname]).toEqual([
      '127.0.0.1',
      '5432',
      postgres.POSTGRES_USER,
      postgres.POSTGRES_PASSWORD,
      `/${postgres.POSTGRES_DB}`,
    ]);
    const rabbitmq = serviceEnv('rabbitmq');
    const broker = new URL(env.AMQP_URL ?? '');
    expect([broker.hostname, broker.port, broker.username, broker.password]).toEqual([
      '127.0.0.1',
      '5672',
      rabbitmq.RABBITMQ_DEFAULT_USER,
      rabbitmq.RABBITMQ_DEFAULT_PASS,
    ]);
    expect(env.CI).toBe('true');
  });

  it('sets up Node 24 and pnpm, then runs .ci/run', () => {
    const uses = steps.map((step) => String(step.uses ?? ''));
    expect(uses).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^actions\/checkout@/),
        expect.stringMatching(/^pnpm\/action-setup@/),
      ]),
    );
    const setupNode = steps.find((step) => String(step.uses).startsWith('actions/setup-node@'));
    expect(String(get(setupNode, 'with.node-version'))).toBe('24');
    expect(steps.at(-1)?.run).toBe('bash .ci/run');
  });
});

function get(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((current, key) => (current as Record<string, unknown> | undefined)?.[key], value);
}
