import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAgentSettings } from '@overcast/datacenter-agent';
import { parseRegistryConfig } from '@overcast/registry';
import { k8sRoot, kubectlAvailable, kustomize } from './kustomize';
import { exists, list, readText, readYaml, readYamlDocuments, record } from './repository';

/**
 * The datacenter agent as a deployable: in compose behind the agent profile, with the files the CLI writes; in
 * Kubernetes as its own kustomization (applied in a datacenter), one pod per certificate. Each is checked against
 * the agent's own config parser and against the registry endpoint it dials.
 */
const pem = (label: string) => `-----BEGIN ${label}-----\nAAAA\n-----END ${label}-----\n`;

/** key.pem, cert.pem and ca.pem as `overcast datacenters register --dir` writes them (contents are not parsed here). */
function credentialsDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'overcast-agent-'));
  writeFileSync(join(directory, 'key.pem'), pem('PRIVATE KEY'));
  writeFileSync(join(directory, 'cert.pem'), pem('CERTIFICATE'));
  writeFileSync(join(directory, 'ca.pem'), pem('CERTIFICATE'));
  return directory;
}

const compose = record(readYaml('docker', 'compose.yaml'), 'compose.yaml');
const services = record(compose.services, 'services');
const agent = record(services['datacenter-agent'], 'services.datacenter-agent');
const registry = record(services.registry, 'services.registry');
const environmentOf = (service: Record<string, unknown>) =>
  record(service.environment ?? {}, 'environment') as Record<string, string>;

describe('the datacenter agent in docker/compose.yaml', () => {
  it('is built like every service, and started only on request (profile agent), once the registry is healthy', () => {
    expect(record(record(agent.build, 'build').args, 'args').SERVICE).toBe('datacenter-agent');
    expect(exists('services', 'datacenter-agent', 'src', 'main.ts')).toBe(true);
    expect(agent.profiles).toEqual(['agent']);
    expect(record(agent.depends_on, 'depends_on').registry).toEqual({ condition: 'service_healthy' });
  });

  it("dials the registry's agent endpoint by a name its certificate carries, on the port it listens on", () => {
    const [host, port] = environmentOf(agent).REGISTRY_AGENT_ADDRESS?.split(':') ?? [];
    const registryEnvironment = environmentOf(registry);
    expect(registryEnvironment.AGENT_SERVER_NAMES?.split(',')).toContain(host);
    expect(registryEnvironment.AGENT_PORT).toBe(port);
    expect(host).toBe('registry');
  });

  it("reads the files the CLI wrote from a read-only mount, kept out of git, with its own parser's approval", () => {
    const environment = environmentOf(agent);
    const mount = list(agent.volumes, 'volumes').map(String);
    expect(mount).toContain(`\${OVERCAST_DATACENTER_DIR:-./datacenter}:${environment.DATACENTER_DIR}:ro`);
    expect(readText('.gitignore').split('\n')).toContain('docker/datacenter/');
    const directory = credentialsDirectory();
    try {
      const settings = parseAgentSettings({
        REGISTRY_AGENT_ADDRESS: environment.REGISTRY_AGENT_ADDRESS,
        DATACENTER_CERT_FILE: join(directory, 'cert.pem'),
        DATACENTER_KEY_FILE: join(directory, 'key.pem'),
        REGISTRY_CA_FILE: join(directory, 'ca.pem'),
      });
      expect(settings.registryAddress).toBe('registry:8443');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

const agentDirectory = join(k8sRoot, 'datacenter-agent');
const [statefulSet] = readYamlDocuments('infra', 'k8s', 'datacenter-agent', 'stateful-set.yaml').map((document) =>
  record(document, 'stateful-set.yaml'),
);
const get = (value: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((current, key) => (current as Record<string, unknown> | undefined)?.[key], value);

describe('the datacenter agent in infra/k8s/datacenter-agent', () => {
  const podSpec = record(get(statefulSet, 'spec.template.spec'), 'pod spec');
  const [container] = list(podSpec.containers, 'containers').map((entry) => record(entry, 'container'));
  const env = Object.fromEntries(
    list(container?.env, 'env').map((entry) => [String(get(entry, 'name')), String(get(entry, 'value'))]),
  );

  it('runs exactly one pod per datacenter certificate, as a StatefulSet (never two at once)', () => {
    expect(statefulSet?.kind).toBe('StatefulSet');
    expect(get(statefulSet, 'spec.replicas')).toBe(1);
  });

  it('runs as a non-root user without privilege escalation, with CPU and memory requested and memory capped', () => {
    expect(podSpec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(container?.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(get(container, 'resources.requests.cpu')).toBeDefined();
    expect(get(container, 'resources.limits.memory')).toBeDefined();
  });

  it('reads its key, certificate and CA bundle from the generated Secret, mounted where its variables point', () => {
    const mounts = list(container?.volumeMounts, 'volumeMounts').map((mount) => record(mount, 'mount'));
    const credentials = mounts.find((mount) => mount.name === 'credentials');
    for (const variable of ['DATACENTER_CERT_FILE', 'DATACENTER_KEY_FILE', 'REGISTRY_CA_FILE']) {
      expect(env[variable]?.startsWith(`${String(credentials?.mountPath)}/`)).toBe(true);
    }
    const kustomization = record(readYaml('infra', 'k8s', 'datacenter-agent', 'kustomization.yaml'), 'kustomization');
    const [generator] = list(kustomization.secretGenerator, 'secretGenerator').map((entry) => record(entry, 'gen'));
    const volumes = list(podSpec.volumes, 'volumes').map((volume) => record(volume, 'volume'));
    expect(
      get(
        volumes.find((volume) => volume.name === 'credentials'),
        'secret.secretName',
      ),
    ).toBe(generator?.name);
    expect(list(generator?.files, 'files').map(String).sort()).toEqual(
      ['secrets/ca.pem', 'secrets/cert.pem', 'secrets/key.pem'].sort(),
    );
    expect(readText('infra', '.gitignore').split('\n')).toContain('k8s/datacenter-agent/secrets/');
  });

  (kubectlAvailable ? it : it.skip)(
    "renders with the files given, and its parser accepts the environment it gets, dialing the registry Service's agent port",
    () => {
      const copy = mkdtempSync(join(tmpdir(), 'overcast-k8s-agent-'));
      const files = credentialsDirectory();
      try {
        cpSync(agentDirectory, copy, { recursive: true });
        mkdirSync(join(copy, 'secrets'), { recursive: true });
        cpSync(files, join(copy, 'secrets'), { recursive: true });
        const rendered = kustomize(copy);
        expect(rendered.stderr).toBe('');
        const secret = rendered.resources.find((resource) => resource.kind === 'Secret');
        expect(Object.keys(record(secret?.data, 'secret data')).sort()).toEqual(['ca.pem', 'cert.pem', 'key.pem']);
        const configMap = rendered.resources.find((resource) => resource.kind === 'ConfigMap');
        const data = record(configMap?.data, 'config data') as Record<string, string>;
        const settings = parseAgentSettings({
          ...data,
          DATACENTER_CERT_FILE: join(files, 'cert.pem'),
          DATACENTER_KEY_FILE: join(files, 'key.pem'),
          REGISTRY_CA_FILE: join(files, 'ca.pem'),
        });
        const [host, port] = settings.registryAddress.split(':');
        const registryService = readYamlDocuments('infra', 'k8s', 'base', 'registry', 'service.yaml')[0];
        const agentPort = list(get(registryService, 'spec.ports'), 'ports').find((p) => get(p, 'name') === 'agent');
        expect(String(get(agentPort, 'port'))).toBe(port);
        expect(host?.split('.')[0]).toBe('registry');
        // The registry's certificate must carry the name dialed, as its own parser reads AGENT_SERVER_NAMES.
        const registryEnv = list(
          get(
            readYamlDocuments('infra', 'k8s', 'base', 'registry', 'deployment.yaml')[0],
            'spec.template.spec.containers.0.env',
          ),
          'env',
        );
        const names = String(
          get(
            registryEnv.find((entry) => get(entry, 'name') === 'AGENT_SERVER_NAMES'),
            'value',
          ),
        );
        expect(names.split(',')).toContain(host);
        expect(
          parseRegistryConfig({
            DATABASE_URL: 'postgresql://u:p@db:5432/overcast',
            AMQP_URL: 'amqp://u:p@mq:5672',
            OVERCAST_ENCRYPTION_KEY: 'a'.repeat(64),
            AGENT_PORT: port ?? '',
            AGENT_SERVER_NAMES: names,
          }).settings.agentEndpoint?.serverNames,
        ).toContain(host);
      } finally {
        rmSync(copy, { recursive: true, force: true });
        rmSync(files, { recursive: true, force: true });
      }
    },
  );
});
