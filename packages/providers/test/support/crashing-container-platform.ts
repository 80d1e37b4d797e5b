/**
 * A control plane that dies without cleaning up: a local container platform on the data dir and address prefix it is
 * given deploys hello-web's `web` service at scale 2 behind its balancer, prints `deployed <balancer address>`, and
 * waits to be killed with SIGKILL (its tasks, detached, outlive it as they would a crash).
 */
import { waitFor } from '@overcast/test-kit';
import { createLocalContainerPlatform, serviceStatusOf } from '../../src';

async function main(): Promise<void> {
  const [dataDir = '', addressPrefix = ''] = process.argv.slice(2);
  const platform = createLocalContainerPlatform({ dataDir, addressPrefix, probeIntervalMs: 50, restartDelayMs: 50 });
  const district = platform.forDistrict({ name: 'local' });
  await district.ensureCluster();
  const web = { app: 'hello', service: 'web' };
  const portMappings = [{ lbPort: 8080, containerPort: 8080, hostPort: 18080 }];
  const definition = await district.registerTaskDefinition({
    ...web,
    image: 'hello-web:latest',
    cpu: 512,
    memory: 512,
    command: null,
    env: { GREETING: 'before the crash' },
    portMappings,
    release: 1,
  });
  const balancer = await district.ensureLoadBalancer({ ...web, public: true, portMappings });
  await district.ensureService({ ...web, taskDefinition: definition.id, desiredCount: 2, clientToken: 'c' });
  await waitFor('web active', async () => serviceStatusOf(await district.describeService(web)) === 'active');
  process.stdout.write(`deployed ${balancer.dnsName}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
