import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { k8sRoot, kubectlAvailable, kustomize, kustomizeExampleOverlay } from './kustomize';
import { list, listFiles, readText, readYaml, readYamlDocuments, record } from './repository';

const kustomizations = listFiles(k8sRoot).filter((file) => file.endsWith('kustomization.yaml'));
const manifests = listFiles(k8sRoot).filter((file) => file.endsWith('.yaml') && !file.endsWith('kustomization.yaml'));

interface Manifest {
  file: string;
  kind: string;
  name: string;
  body: Record<string, unknown>;
}

const resources: Manifest[] = manifests.flatMap((file) =>
  readYamlDocuments('infra', 'k8s', file).map((document) => {
    const body = record(document, file);
    return { file, kind: String(body.kind), name: String(record(body.metadata, `${file} metadata`).name), body };
  }),
);
const deployments = resources.filter((resource) => resource.kind === 'Deployment');

type Container = Record<string, unknown>;
function podSpec(deployment: Manifest) {
  return record(record(record(deployment.body.spec, 'spec').template, 'template').spec, 'template.spec');
}
function containersOf(deployment: Manifest, key: 'containers' | 'initContainers'): Container[] {
  const containers = podSpec(deployment)[key];
  return containers === undefined ? [] : list(containers, key).map((container) => record(container, key));
}
const get = (value: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((current, key) => (current as Record<string, unknown> | undefined)?.[key], value);

describe('infra/k8s kustomizations', () => {
  it.each(kustomizations)('%s lists every manifest beside it, and only files that exist', (file) => {
    const directory = dirname(join(k8sRoot, file));
    const listed = list(record(readYaml('infra', 'k8s', file), file).resources, `${file} resources`).map(String);
    for (const resource of listed) expect(existsSync(join(directory, resource))).toBe(true);
    const nestedKustomizations = kustomizations
      .map((other) => dirname(join(k8sRoot, other)))
      .filter((d) => d !== directory);
    const besideIt = listFiles(directory)
      .filter((path) => path.endsWith('.yaml') && path !== 'kustomization.yaml')
      .filter((path) => !nestedKustomizations.some((nested) => join(directory, path).startsWith(`${nested}/`)));
    expect(listed.filter((resource) => resource.endsWith('.yaml')).sort()).toEqual(besideIt.sort());
  });

  it('commits no Secret: credentials come from secretGenerator files kept out of git', () => {
    expect(resources.filter((resource) => resource.kind === 'Secret')).toEqual([]);
    const secretFiles = listFiles(k8sRoot).filter((file) => file.includes('/secrets/'));
    expect(secretFiles.every((file) => file.endsWith('.env.example'))).toBe(true);
    expect(readText('infra', '.gitignore')).toContain('k8s/overlays/*/secrets/*.env');
  });
});

describe.each(deployments.map((deployment) => [deployment.name, deployment] as const))(
  'the %s Deployment',
  (name, deployment) => {
    const spec = record(deployment.body.spec, 'spec');
    const containers = containersOf(deployment, 'containers');
    const allContainers = [...containersOf(deployment, 'initContainers'), ...containers];

    it('runs at least 2 replicas and selects its own pods', () => {
      expect(Number(spec.replicas)).toBeGreaterThanOrEqual(2);
      expect(get(spec, 'template.metadata.labels')).toMatchObject(
        record(get(spec, 'selector.matchLabels'), 'matchLabels'),
      );
    });

    it('probes readiness on /readyz and liveness on /healthz, on a port it declares', () => {
      for (const container of containers) {
        expect(get(container, 'readinessProbe.httpGet.path')).toBe('/readyz');
        expect(get(container, 'livenessProbe.httpGet.path')).toBe('/healthz');
        const portNames = list(container.ports, 'ports').map((port) => get(port, 'name'));
        expect(portNames).toContain(get(container, 'readinessProbe.httpGet.port'));
        expect(portNames).toContain(get(container, 'livenessProbe.httpGet.port'));
      }
    });

    it('requests CPU and memory and caps memory for every container', () => {
      for (const container of allContainers) {
        expect(get(container, 'resources.requests.cpu')).toBeDefined();
        expect(get(container, 'resources.requests.memory')).toBeDefined();
        expect(get(container, 'resources.limits.memory')).toBeDefined();
      }
    });

    it('gives SIGTERM time: the grace period covers preStop plus the service shutdown deadline (25 s)', () => {
      const grace = Number(podSpec(deployment).terminationGracePeriodSeconds);
      for (const container of containers) {
        const command = list(get(container, 'lifecycle.preStop.exec.command'), 'preStop').map(String);
        expect(command[0]).toBe('sleep');
        expect(grace).toBeGreaterThan(Number(command[1]) + 25);
      }
    });

    it('runs as a non-root user without privilege escalation', () => {
      expect(podSpec(deployment).securityContext).toMatchObject({ runAsNonRoot: true });
      expect(Number(get(podSpec(deployment), 'securityContext.runAsUser'))).toBeGreaterThan(0);
      for (const container of allContainers) {
        expect(container.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
      }
    });

    it('reads DATABASE_URL and AMQP_URL from Secrets, and migrates in an initContainer of the same image', () => {
      const env = list(containers[0]?.env, 'env').map((variable) => record(variable, 'env'));
      for (const variable of ['DATABASE_URL', 'AMQP_URL']) {
        expect(env.find((entry) => entry.name === variable)).toMatchObject({
          valueFrom: { secretKeyRef: { key: variable } },
        });
      }
      const migrate = containersOf(deployment, 'initContainers').find((container) => container.name === 'migrate');
      expect(migrate).toMatchObject({ image: containers[0]?.image, args: ['migrate'] });
    });

    it('is exposed by a Service whose target port the container declares', () => {
      const service = resources.find((resource) => resource.kind === 'Service' && resource.name === name);
      expect(get(service?.body, 'spec.selector')).toEqual(get(spec, 'selector.matchLabels'));
      const portNames = containers.flatMap((container) =>
        list(container.ports, 'ports').map((port) => get(port, 'name')),
      );
      for (const port of list(get(service?.body, 'spec.ports'), 'ports'))
        expect(portNames).toContain(get(port, 'targetPort'));
    });
  },
);

describe('the example overlay', () => {
  const overlay = record(readYaml('infra', 'k8s', 'overlays', 'example', 'kustomization.yaml'), 'overlay');
  const generated = list(overlay.secretGenerator, 'secretGenerator').map((entry) => record(entry, 'secretGenerator'));

  it('generates every Secret the Deployments reference, with the keys they read, from a documented example', () => {
    const references = deployments.flatMap((deployment) =>
      [...containersOf(deployment, 'initContainers'), ...containersOf(deployment, 'containers')].flatMap((container) =>
        list(container.env ?? [], 'env')
          .map((variable) => get(variable, 'valueFrom.secretKeyRef') as { name: string; key: string } | undefined)
          .filter((reference) => reference !== undefined),
      ),
    );
    for (const reference of references) {
      const generator = generated.find((entry) => entry.name === reference.name);
      const envFile = String(list(generator?.envs, `${reference.name}.envs`)[0]);
      const example = readText('infra', 'k8s', 'overlays', 'example', `${envFile}.example`);
      expect(example).toMatch(new RegExp(`^${reference.key}=`, 'm'));
      expect(readText('infra', 'README.md')).toContain(reference.name);
    }
  });
});

const describeWithKubectl = kubectlAvailable ? describe : describe.skip;

describeWithKubectl('kustomize', () => {
  it('builds the base', () => {
    const result = kustomize(join(k8sRoot, 'base'));
    expect(result.stderr).toBe('');
    expect(result.stdout.match(/^kind: Deployment$/gm)).toHaveLength(deployments.length);
  });

  it('builds the example overlay, wiring the generated Secrets into the Deployments', () => {
    const result = kustomizeExampleOverlay();
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/name: overcast-rabbitmq-[a-z0-9]{10}\n/);
    expect(result.stdout).toContain('image: registry.example.com/overcast/gateway-api:0.1.0');
    expect(result.stdout).not.toMatch(/name: overcast-rabbitmq\n/);
  });

  it("sets the overlay's registry and tag on every Deployment's image", () => {
    const images = new Set(kustomizeExampleOverlay().stdout.match(/(?<=image: )\S+/g));
    expect([...images].sort()).toEqual(
      deployments.map((deployment) => `registry.example.com/overcast/${deployment.name}:0.1.0`).sort(),
    );
  });
});
