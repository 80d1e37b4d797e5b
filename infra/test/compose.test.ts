import { exists, list, readYaml, record } from './repository';

const compose = record(readYaml('docker', 'compose.yaml'), 'compose.yaml');
const services = record(compose.services, 'services');
const serviceNames = Object.keys(services);

function service(name: string) {
  return record(services[name], `services.${name}`);
}

/** The Overcast service a compose service is built as (its SERVICE build arg), if any. */
function overcastServiceOf(name: string): string | undefined {
  const build = service(name).build;
  if (build === undefined) return undefined;
  const args = record(record(build, `services.${name}.build`).args ?? {}, `services.${name}.build.args`);
  return typeof args.SERVICE === 'string' ? args.SERVICE : undefined;
}

const isOneShot = (name: string) => JSON.stringify(service(name).command) === '["migrate"]';
const overcastServices = serviceNames.filter((name) => overcastServiceOf(name) !== undefined && !isOneShot(name));
const migrateJobs = serviceNames.filter((name) => overcastServiceOf(name) !== undefined && isOneShot(name));

function dependencies(name: string): [string, string][] {
  const dependsOn = service(name).depends_on;
  if (dependsOn === undefined) return [];
  return Object.entries(record(dependsOn, `services.${name}.depends_on`)).map(([target, options]) => [
    target,
    String(record(options, `services.${name}.depends_on.${target}`).condition),
  ]);
}

function environment(name: string): Record<string, string> {
  return record(service(name).environment ?? {}, `services.${name}.environment`) as Record<string, string>;
}

describe('docker/compose.yaml', () => {
  it('runs Postgres 15 or later and RabbitMQ 3.x, each with a healthcheck', () => {
    expect(String(service('postgres').image)).toMatch(/^postgres:(1[5-9]|[2-9]\d)\b/);
    expect(String(service('rabbitmq').image)).toMatch(/^rabbitmq:3\./);
    expect(service('postgres').healthcheck).toBeDefined();
    expect(service('rabbitmq').healthcheck).toBeDefined();
  });

  it('runs the gateway on port 8080 and the instance broker, each as its own container', () => {
    expect(overcastServices.map(overcastServiceOf).sort()).toEqual(['gateway-api', 'instance-broker']);
    expect(list(service('gateway-api').ports, 'gateway-api.ports')).toContain('8080:8080');
  });

  it.each(serviceNames)('gives %s a build or an image', (name) => {
    expect(service(name).build ?? service(name).image).toBeDefined();
  });

  it.each(serviceNames)('has %s depend only on services that exist and can signal readiness', (name) => {
    for (const [target, condition] of dependencies(name)) {
      expect(serviceNames).toContain(target);
      if (condition === 'service_healthy') expect(service(target).healthcheck).toBeDefined();
      else expect([condition, isOneShot(target)]).toEqual(['service_completed_successfully', true]);
    }
  });

  it.each(overcastServices)('builds %s from docker/Dockerfile with a SERVICE that exists in services/', (name) => {
    const build = record(service(name).build, `${name}.build`);
    expect(build).toMatchObject({ context: '..', dockerfile: 'docker/Dockerfile' });
    expect(exists('services', overcastServiceOf(name) ?? '', 'package.json')).toBe(true);
  });

  it.each(overcastServices)('gives %s DATABASE_URL with its own schema, AMQP_URL and a healthcheck', (name) => {
    const env = environment(name);
    const schema = new URL(env.DATABASE_URL ?? '').searchParams.get('schema');
    expect(schema).toBe((overcastServiceOf(name) ?? '').replaceAll('-', '_'));
    expect(env.AMQP_URL).toMatch(/^amqps?:\/\/[^@]+@rabbitmq:5672/);
    expect(env.DATABASE_URL).toMatch(/@postgres:5432\//);
    expect(service(name).healthcheck).toBeDefined();
  });

  it.each(overcastServices)('starts %s only once Postgres and RabbitMQ are healthy and its migrations ran', (name) => {
    const conditions = Object.fromEntries(dependencies(name));
    expect(conditions).toMatchObject({ postgres: 'service_healthy', rabbitmq: 'service_healthy' });
    expect(conditions[`${name}-migrate`]).toBe('service_completed_successfully');
  });

  it.each(migrateJobs)('points the one-shot %s at the same database as its service', (name) => {
    const serviceName = name.replace(/-migrate$/, '');
    expect(environment(name).DATABASE_URL).toBe(environment(serviceName).DATABASE_URL);
    expect(service(name).image).toBe(service(serviceName).image);
    expect(service(name).restart).toBe('no');
  });

  it('publishes every host port at most once', () => {
    const hostPorts = serviceNames.flatMap((name) =>
      (service(name).ports === undefined ? [] : list(service(name).ports, `${name}.ports`)).map((mapping) => {
        const parts = String(mapping).split(':');
        return parts.length === 3 ? `${parts[0]}:${parts[1]}` : `*:${parts[0]}`;
      }),
    );
    const ports = hostPorts.map((binding) => binding.split(':')[1]);
    expect(new Set(ports).size).toBe(ports.length);
  });
});
