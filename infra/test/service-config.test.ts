import { kubectlAvailable, kustomizeExampleOverlay } from './kustomize';
import { list, record } from './repository';
import { probedServices, serviceConfigParsers as parsers, servicesSealingSecrets } from './service-parsers';

type Resource = Record<string, unknown>;

function dataOf(resources: Resource[], kind: 'ConfigMap' | 'Secret', name: string): Record<string, string> {
  const resource = resources.find(
    (candidate) => candidate.kind === kind && record(candidate.metadata, kind).name === name,
  );
  if (!resource) throw new Error(`the rendered manifests have no ${kind} ${name}`);
  const data = record(resource.data ?? {}, `${kind} ${name} data`) as Record<string, string>;
  if (kind === 'ConfigMap') return data;
  return Object.fromEntries(
    Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]),
  );
}

function keyOf(resources: Resource[], kind: 'ConfigMap' | 'Secret', reference: Resource): string {
  const value = dataOf(resources, kind, String(reference.name))[String(reference.key)];
  if (value === undefined) throw new Error(`${kind} ${String(reference.name)} has no key ${String(reference.key)}`);
  return value;
}

/** The environment Kubernetes gives a container: envFrom first, then env (which wins), references resolved. */
function containerEnvironment(resources: Resource[], container: Resource): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const source of list(container.envFrom ?? [], 'envFrom').map((entry) => record(entry, 'envFrom'))) {
    if (source.configMapRef)
      Object.assign(
        environment,
        dataOf(resources, 'ConfigMap', String(record(source.configMapRef, 'configMapRef').name)),
      );
    if (source.secretRef)
      Object.assign(environment, dataOf(resources, 'Secret', String(record(source.secretRef, 'secretRef').name)));
  }
  for (const variable of list(container.env ?? [], 'env').map((entry) => record(entry, 'env'))) {
    const name = String(variable.name);
    if (variable.value !== undefined) environment[name] = String(variable.value);
    const from = variable.valueFrom === undefined ? undefined : record(variable.valueFrom, `${name}.valueFrom`);
    if (from?.secretKeyRef) environment[name] = keyOf(resources, 'Secret', record(from.secretKeyRef, name));
    if (from?.configMapKeyRef) environment[name] = keyOf(resources, 'ConfigMap', record(from.configMapKeyRef, name));
  }
  return environment;
}

function serviceContainers(resources: Resource[]): [string, Record<string, string>][] {
  return resources
    .filter((resource) => resource.kind === 'Deployment')
    .map((deployment) => {
      const name = String(record(deployment.metadata, 'metadata').name);
      const podSpec = record(record(record(deployment.spec, 'spec').template, 'template').spec, 'template.spec');
      const containers = list(podSpec.containers, `${name} containers`).map((entry) => record(entry, 'container'));
      const main = containers.find((container) => container.name === name);
      if (!main) throw new Error(`Deployment ${name} has no container named ${name}`);
      return [name, containerEnvironment(resources, main)];
    });
}

const describeWithKubectl = kubectlAvailable ? describe : describe.skip;

describeWithKubectl('each service config schema on the environment the rendered example overlay gives it', () => {
  const rendered = kustomizeExampleOverlay();
  const services = serviceContainers(rendered.resources);

  it('renders a Deployment for every service that has a parser here, and a parser for every Deployment', () => {
    expect(rendered.stderr).toBe('');
    expect(services.map(([name]) => name).sort()).toEqual(Object.keys(parsers).sort());
  });

  it.each(services)('%s parses its environment', (name, environment) => {
    const parse = parsers[name];
    if (!parse) throw new Error(`no config parser for ${name}`);
    expect(() => parse(environment)).not.toThrow();
  });

  it.each(servicesSealingSecrets)(
    'would catch a missing variable: %s without OVERCAST_ENCRYPTION_KEY is refused, naming it',
    (name) => {
      const environment = services.find(([service]) => service === name)?.[1] ?? {};
      const { OVERCAST_ENCRYPTION_KEY: key, ...withoutKey } = environment;
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      expect(() => parsers[name]?.(withoutKey)).toThrow(/OVERCAST_ENCRYPTION_KEY/);
    },
  );

  it('gives every service that seals secrets the one shared key', () => {
    const keys = services
      .filter(([name]) => servicesSealingSecrets.includes(name))
      .map(([, env]) => env.OVERCAST_ENCRYPTION_KEY);
    expect(keys).toHaveLength(servicesSealingSecrets.length);
    expect(new Set(keys).size).toBe(1);
  });

  it('has the gateway report every other Deployment in GET /status', () => {
    const gateway = services.find(([name]) => name === 'gateway-api')?.[1] ?? {};
    const others = services.map(([name]) => name).filter((name) => name !== 'gateway-api');
    expect(gateway.STATUS_SERVICES?.split(',').sort()).toEqual(others.sort());
    expect(others.sort()).toEqual([...probedServices].sort());
  });
});
