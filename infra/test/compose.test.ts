import { randomBytes } from 'node:crypto';
import { exists, list, readText, readYaml, record } from './repository';
import { probedServices, serviceConfigParsers, servicesSealingSecrets } from './service-parsers';

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
// The datacenter agent is a datacenter, not a service of the control plane: test/datacenter-agent.test.ts.
const isAgent = (name: string) => overcastServiceOf(name) === 'datacenter-agent';
const overcastServices = serviceNames.filter(
  (name) => overcastServiceOf(name) !== undefined && !isOneShot(name) && !isAgent(name),
);
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

/**
 * A value as compose interpolates it with only the variables given: `${NAME:-default}` takes the default,
 * `${NAME:?message}` (required) takes `required[NAME]` or fails naming it.
 */
function interpolate(value: string, required: Record<string, string> = {}): string {
  return value.replace(
    /\$\{([A-Z_][A-Z0-9_]*)(?::([-?])([^}]*))?\}/g,
    (_, name: string, operator?: string, text?: string) => {
      if (operator === '-') return text ?? '';
      const given = required[name];
      if (given === undefined) throw new Error(`\${${name}} has no default and no value here`);
      return given;
    },
  );
}

/** Every build's BASE_IMAGE argument, by compose service. */
const baseImages = Object.fromEntries(
  serviceNames.map((name) => [
    name,
    record(record(service(name).build ?? {}, `${name}.build`).args ?? {}, 'args').BASE_IMAGE,
  ]),
);

describe('docker/compose.yaml', () => {
  it("has no top-level name: Debian's docker-compose 1.29 refuses it", () => {
    expect(compose).not.toHaveProperty('name');
  });

  it('builds every container on one BASE_IMAGE, the public node image unless OVERCAST_BASE_IMAGE says otherwise', () => {
    expect(Object.keys(baseImages).filter((name) => baseImages[name] === undefined)).toEqual([]);
    expect(new Set(Object.values(baseImages))).toEqual(new Set(['${OVERCAST_BASE_IMAGE:-node:24-bookworm-slim}']));
  });

  it.each([
    ['postgres', /apt-get install [^\n]*"?postgresql-\$\{PG_MAJOR\}/, /^ARG PG_MAJOR=(1[5-9]|[2-9]\d)$/m],
    ['rabbitmq', /apt-get install [^\n]*rabbitmq-server/, /^FROM \$\{BASE_IMAGE\}$/m],
  ])("builds %s from Debian's packages on BASE_IMAGE, with a healthcheck", (name, install, version) => {
    const context = String(record(service(name).build, `${name}.build`).context);
    const dockerfile = readText('docker', context, 'Dockerfile');
    expect(dockerfile).toMatch(/^FROM \$\{BASE_IMAGE\}$/m);
    expect(dockerfile).toMatch(install);
    expect(dockerfile).toMatch(version);
    expect(service(name).healthcheck).toBeDefined();
  });

  it('runs every deployable service, the gateway on port 8080 (on loopback, the host port overridable)', () => {
    expect(overcastServices.map(overcastServiceOf).sort()).toEqual(Object.keys(serviceConfigParsers).sort());
    expect(list(service('gateway-api').ports, 'gateway-api.ports')).toContain(
      '127.0.0.1:${OVERCAST_GATEWAY_PORT:-8080}:8080',
    );
  });

  it.each(overcastServices)('gives %s an environment its own config parser accepts', (name) => {
    const given = { OVERCAST_ENCRYPTION_KEY: randomBytes(32).toString('hex') };
    const env = Object.fromEntries(
      Object.entries(environment(name)).map(([key, value]) => [key, interpolate(String(value), given)]),
    );
    const parse = serviceConfigParsers[overcastServiceOf(name) ?? ''];
    expect(parse).toBeDefined();
    expect(() => parse?.(env)).not.toThrow();
  });

  it.each(servicesSealingSecrets)(
    'gives %s the shared OVERCAST_ENCRYPTION_KEY from the environment (docker/.env), never a committed key',
    (name) => {
      expect(environment(name).OVERCAST_ENCRYPTION_KEY).toMatch(/^\$\{OVERCAST_ENCRYPTION_KEY:\?[^}]+\}$/);
      expect(readText('.gitignore').split('\n')).toContain('.env');
    },
  );

  it('has the gateway report every other service of the stack in GET /status', () => {
    const others = overcastServices.filter((name) => name !== 'gateway-api');
    expect(environment('gateway-api').STATUS_SERVICES?.split(',').sort()).toEqual(others.sort());
    expect(others.sort()).toEqual([...probedServices].sort());
  });

  it("opens the registry's agent endpoint on the stack's network under the name agents dial (registry)", () => {
    const given = { OVERCAST_ENCRYPTION_KEY: randomBytes(32).toString('hex') };
    const env = Object.entries(environment('registry')).map(([key, value]) => [key, interpolate(value, given)]);
    const config = serviceConfigParsers.registry?.(Object.fromEntries(env));
    expect(config).toMatchObject({
      settings: { agentEndpoint: { host: '0.0.0.0', port: 8443, serverNames: expect.arrayContaining(['registry']) } },
    });
  });

  it.each(overcastServices)('checks %s healthy on /readyz, so depends_on waits for its database and broker', (name) => {
    expect(JSON.stringify(record(service(name).healthcheck, `${name}.healthcheck`).test)).toContain('/readyz');
  });

  it.each(migrateJobs)('runs %s through a migrate entry point its service has', (name) => {
    expect(exists('services', overcastServiceOf(name) ?? '', 'src', 'migrate.ts')).toBe(true);
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
        const parts = interpolate(String(mapping)).split(':');
        return parts.length === 3 ? `${parts[0]}:${parts[1]}` : `*:${parts[0]}`;
      }),
    );
    const ports = hostPorts.map((binding) => binding.split(':')[1]);
    expect(new Set(ports).size).toBe(ports.length);
  });
});
