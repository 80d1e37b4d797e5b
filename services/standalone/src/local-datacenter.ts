import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createDatacenterRpc } from '@overcast/contracts';
import { createDatacenterAgent, defaultNodeImages } from '@overcast/datacenter-agent';
import type { Bus } from '@overcast/messaging';
import { createLocalComputeProvider } from '@overcast/providers';
import type { Logger } from '@overcast/service-kit';

/** What `pnpm start`'s own datacenter offers: region `local`, where examples/overcast.yml asks for it. */
const localProfiles = [
  { name: 'small', cpu: 2, memoryBytes: 2 * 2 ** 30, lifetime: 'medium' as const, price: 0.5, capacity: 8 },
];

/**
 * The datacenter `pnpm start` runs: registered on the first start (its key made here, kept with its certificate
 * under <data>/datacenters/local, as an operator's would be), its agent in this process speaking to the registry
 * over mutual TLS like any other, its nodes local processes on 127.101.x.y. The registry's agent address is written
 * to <data>/registry-agent-address, where `pnpm agent` finds it for a second datacenter.
 */
export async function startLocalDatacenter(options: {
  dataDir: string;
  bus: Bus;
  tenantId: string;
  agentAddress: string;
  logger: Logger;
}): Promise<{ datacenterId: string; stop(): Promise<void> }> {
  const directory = path.join(options.dataDir, 'datacenters', 'local');
  const files = {
    certificate: path.join(directory, 'cert.pem'),
    privateKey: path.join(directory, 'key.pem'),
    caBundle: path.join(directory, 'ca.pem'),
  };
  if (!existsSync(files.certificate)) {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const issued = await options.bus.call(createDatacenterRpc, {
      tenantId: options.tenantId,
      name: 'local',
      region: 'local',
      endpoint: 'in-process',
      key: { publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
      profiles: localProfiles,
    });
    await writeFile(files.privateKey, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), {
      mode: 0o600,
    });
    await writeFile(files.caBundle, issued.caBundle);
    // Last: its presence says the other two are complete.
    await writeFile(files.certificate, issued.certificate);
  }
  await writeFile(path.join(options.dataDir, 'registry-agent-address'), `${options.agentAddress}\n`);
  const provider = createLocalComputeProvider(
    { name: 'local', dataDir: path.join(directory, 'nodes'), images: defaultNodeImages, addressPrefix: '127.101' },
    { warn: (message) => options.logger.warn({}, message) },
  );
  const agent = createDatacenterAgent({
    settings: {
      registryAddress: options.agentAddress,
      credentials: {
        certificate: await readFile(files.certificate, 'utf8'),
        privateKey: await readFile(files.privateKey, 'utf8'),
        caBundle: await readFile(files.caBundle, 'utf8'),
      },
      heartbeatIntervalMs: 2_000,
      profiles: localProfiles,
    },
    provider,
    logger: options.logger,
  });
  await agent.start();
  return {
    datacenterId: agent.datacenterId,
    async stop() {
      await agent.stop();
      await provider.close();
    },
  };
}
