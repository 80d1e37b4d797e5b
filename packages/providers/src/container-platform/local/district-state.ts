import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../local/instance-files';
import type { ScheduleTaskInput, ServiceKey, TaskDefinitionInput } from '../container-platform';
import type { SavedBalancer } from './district-balancers';

/**
 * What a local district is meant to run, kept in `<dataDir>/container-districts/<name>.json` so a restarted
 * control plane starts it again, as an ECS cluster keeps running while Barcelona restarts. Env values are the
 * release's, as an ECS task definition holds them; the file is the operator's (mode 0600).
 */
export interface DistrictState {
  exists: boolean;
  definitions: Record<string, TaskDefinitionInput[]>;
  services: Record<string, { key: ServiceKey; taskDefinition: string; desiredCount: number }>;
  balancers: Record<string, SavedBalancer>;
  schedules: Record<string, ScheduleTaskInput>;
}

const directoryOf = (dataDir: string) => join(dataDir, 'container-districts');

export function saveDistrictState(dataDir: string, name: string, state: DistrictState): void {
  mkdirSync(directoryOf(dataDir), { recursive: true, mode: 0o700 });
  writeFileAtomic(join(directoryOf(dataDir), `${encodeURIComponent(name)}.json`), JSON.stringify(state));
}

/** Every district a previous run saved, by name; an unreadable file is reported and skipped. */
export function loadDistrictStates(dataDir: string, warn: (message: string) => void): Map<string, DistrictState> {
  const states = new Map<string, DistrictState>();
  if (!existsSync(directoryOf(dataDir))) return states;
  for (const file of readdirSync(directoryOf(dataDir))) {
    if (!file.endsWith('.json')) continue;
    try {
      states.set(
        decodeURIComponent(file.slice(0, -'.json'.length)),
        JSON.parse(readFileSync(join(directoryOf(dataDir), file), 'utf8')) as DistrictState,
      );
    } catch (error) {
      warn(`local container platform: skipping unreadable ${file}: ${(error as Error).message}`);
    }
  }
  return states;
}
