import { join } from 'node:path';
import { allocateAddress } from '../../local/address-pool';
import type { ContainerPlatform, ServiceKey } from '../container-platform';
import { helloWebImage } from './hello-web-image';
import type { LocalContainerConfig } from './local-container-config';
import { resolveLocalContainerConfig } from './local-container-config';
import type { LocalDistrict, LocalTask } from './local-district';
import { createLocalDistrict } from './local-district';
import type { DistrictState } from './district-state';
import { loadDistrictStates, saveDistrictState } from './district-state';
import { createTaskLedger } from './task-ledger';

export interface LocalContainerPlatform extends ContainerPlatform {
  /** A service's running tasks in a district (none when either is unknown). */
  tasksOf(district: string, key: ServiceKey): LocalTask[];
  /** hello-web and the operator's catalog images that have an entrypoint. */
  runnableImages(): string[];
  close(): Promise<void>;
}

/**
 * The embedded default: a district is this machine. A service's tasks are supervised processes started from the
 * operator's image catalog (never a command from an API caller: the service's command only becomes the image
 * program's arguments), each on its own loopback address, behind a local load balancer per service
 * (by default the kernel's: the tasks share the balancer's address with SO_REUSEPORT). Cron
 * schedules are Overcast's to trigger. Tasks live as long as this process; with a data dir, a restart stops what a
 * crash left and starts each district's services and balancers again from its saved state.
 */
export function createLocalContainerPlatform(
  input: LocalContainerConfig = {},
  options: { warn?: (message: string) => void } = {},
): LocalContainerPlatform {
  const config = resolveLocalContainerConfig(input);
  const warn = options.warn ?? ((message: string) => process.emitWarning(message));
  const ledger = createTaskLedger(config.dataDir ? join(config.dataDir, 'container-tasks.json') : null, warn);
  const reaped = ledger.reapLeftovers();
  if (reaped > 0) warn(`local container platform: stopped ${reaped} task(s) a previous run left`);
  const addresses = new Set<string>();
  const districts = new Map<string, LocalDistrict>();
  const runtime = {
    images: { 'hello-web': helloWebImage, ...config.images },
    allocateAddress() {
      const address = allocateAddress(config.addressPrefix, addresses);
      addresses.add(address);
      return address;
    },
    releaseAddress: (address: string) => void addresses.delete(address),
    reserveAddress: (address: string) => void addresses.add(address),
    ledger,
    restartDelayMs: config.restartDelayMs,
    probeIntervalMs: config.probeIntervalMs,
    balancerProtocol: config.balancerProtocol,
    keptStoppedTasks: config.keptStoppedTasks,
    terminationGraceMs: config.terminationGraceMs,
    warn,
  };

  const dataDir = config.dataDir;
  const persistenceOf = (name: string, restored?: DistrictState) => ({
    save: (state: DistrictState) => {
      if (dataDir) saveDistrictState(dataDir, name, state);
    },
    ...(restored ? { restored } : {}),
  });
  // What a previous run was running starts again (its tasks were stopped above, by the ledger).
  for (const [name, state] of dataDir ? loadDistrictStates(dataDir, warn) : []) {
    districts.set(name, createLocalDistrict(name, runtime, persistenceOf(name, state)));
  }

  return {
    name: config.name,
    forDistrict(district) {
      let local = districts.get(district.name);
      if (!local)
        districts.set(
          district.name,
          (local = createLocalDistrict(district.name, runtime, persistenceOf(district.name))),
        );
      return local.platform;
    },
    runnableImages: () =>
      Object.entries(runtime.images)
        .filter(([, image]) => image.entrypoint)
        .map(([name]) => name),
    tasksOf: (district, key) => districts.get(district)?.tasksOf(key) ?? [],
    async close() {
      await Promise.all([...districts.values()].map((district) => district.close()));
    },
  };
}
