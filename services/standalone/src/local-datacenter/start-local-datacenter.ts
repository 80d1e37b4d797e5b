import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createDatacenterRpc } from '@overcast/contracts';
import type { Bus } from '@overcast/messaging';
import {
  agentAddressFile,
  localDatacenterDir,
  startLocalAgent,
  stopLocalAgent,
  type LocalAgentLaunch,
} from './agent-process';

/** What `pnpm start`'s own datacenter offers: region `local`, where examples/overcast.yml asks for it. */
export const localProfiles = [
  { name: 'small', cpu: 2, memoryBytes: 2 * 2 ** 30, lifetime: 'medium' as const, price: 0.5, capacity: 8 },
];

/** How pnpm start, and `pnpm overcast-admin datacenter start` after it, start the local datacenter's agent. */
export function localAgentLaunch(dataDir: string, registryAddress: string, env: NodeJS.ProcessEnv): LocalAgentLaunch {
  return {
    directory: localDatacenterDir(dataDir),
    registryAddress,
    profiles: localProfiles,
    env,
  };
}

/** Registered on the first start: its key made here, kept with its certificate as an operator's would be. */
async function registerOnce(directory: string, bus: Bus, tenantId: string): Promise<void> {
  if (existsSync(path.join(directory, 'cert.pem'))) return;
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const issued = await bus.call(createDatacenterRpc, {
    tenantId,
    name: 'local',
    region: 'local',
    endpoint: 'local',
    key: { publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    profiles: localProfiles,
  });
  await writeFile(
    path.join(directory, 'key.pem'),
    keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    {
      mode: 0o600,
    },
  );
  await writeFile(path.join(directory, 'ca.pem'), issued.caBundle);
  // Last: its presence says the other two are complete.
  await writeFile(path.join(directory, 'cert.pem'), issued.certificate);
}

/**
 * The datacenter `pnpm start` runs, under <data>/datacenters/local: its agent is its own process (the program
 * `pnpm agent` runs), speaking to the registry over mutual TLS like any other, its nodes local processes on
 * 127.101.x.y. Being a process of its own, it can be stopped and started alone (`pnpm overcast-admin datacenter
 * stop|start`), which is how a user sees its nodes fail over and back. An agent left by an earlier start (one
 * killed before it could stop it) is replaced: it dials that start's registry address.
 */
export async function startLocalDatacenter(options: {
  dataDir: string;
  bus: Bus;
  tenantId: string;
  agentAddress: string;
  env: NodeJS.ProcessEnv;
}): Promise<{ stop(): Promise<void> }> {
  const launch = localAgentLaunch(options.dataDir, options.agentAddress, options.env);
  await registerOnce(launch.directory, options.bus, options.tenantId);
  await writeFile(agentAddressFile(options.dataDir), `${options.agentAddress}\n`);
  await stopLocalAgent(launch.directory);
  // Not awaited: the datacenter is registered up, and its agent's first heartbeat follows its start (seconds).
  startLocalAgent(launch);
  return { stop: () => stopLocalAgent(launch.directory).then(() => undefined) };
}
