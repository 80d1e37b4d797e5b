import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalContainerPlatform, serviceStatusOf } from '@overcast/providers';
import { waitFor } from '@overcast/test-kit';
import { runAsChildService } from '../lib/child-service';
import { balancerProtocols, type BenchedProtocol, type LocalBalancerUrls } from './local-balancer-urls';

const service = { app: 'bench', service: 'web' };
const scale = Number(process.env.BENCH_TASKS ?? 3);

async function deployHelloWeb(dataDir: string, addressPrefix: string, balancerProtocol: BenchedProtocol) {
  const platform = createLocalContainerPlatform({ dataDir, addressPrefix, probeIntervalMs: 200, balancerProtocol });
  const district = platform.forDistrict({ name: 'bench' });
  await district.ensureCluster();
  const portMappings = [{ lbPort: 18000, containerPort: 8080, hostPort: 18080 }];
  const definition = await district.registerTaskDefinition({
    ...service,
    image: 'hello-web',
    cpu: 512,
    memory: 512,
    command: null,
    env: { GREETING: 'bench' },
    portMappings,
    release: 1,
  });
  const balancer = await district.ensureLoadBalancer({ ...service, public: true, portMappings });
  await district.ensureService({
    ...service,
    taskDefinition: definition.id,
    desiredCount: scale,
    clientToken: 'bench',
    loadBalancer: balancer,
  });
  await waitFor(
    'the service active',
    async () => serviceStatusOf(await district.describeService(service)) === 'active',
    {
      timeoutMs: 30_000,
    },
  );
  return { platform, url: `http://${balancer.dnsName}:18000/` };
}

// The local platforms in a process of their own, as in the app manager: the load generator never shares their
// event loop. Addresses of their own, apart from a running `pnpm start` (127.101) and the tests.
runAsChildService<LocalBalancerUrls>(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'overcast-bench-apps-'));
  const deployed = await Promise.all(
    balancerProtocols.map((protocol, index) => deployHelloWeb(join(dataDir, protocol), `127.${121 + index}`, protocol)),
  );
  const [task] = deployed[0]?.platform.tasksOf('bench', service) ?? [];
  if (!task?.port) throw new Error('no task to measure directly');
  const balancers = Object.fromEntries(
    balancerProtocols.map((protocol, index) => [protocol, deployed[index]?.url ?? '']),
  ) as Record<BenchedProtocol, string>;
  return {
    info: { balancers, direct: `http://${task.address}:${task.port}/`, tasks: scale },
    stop: async () => {
      await Promise.all(deployed.map((each) => each.platform.close()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
