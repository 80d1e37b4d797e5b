import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CliIo } from '../cli-io';
import { UsageError } from '../cli-io';
import { configFilePath } from '../config/config-file';

/** Photon's default file name (photon.yml there). */
export const defaultDeploymentFile = 'overcast.yml';
// The gateway's body limit: a larger file would only be refused after it was sent.
const maxFileBytes = 1_048_576;

export function readDeploymentFile(file: string): { path: string; text: string } {
  const resolved = path.resolve(file);
  if (!existsSync(resolved)) throw new UsageError(`${file} does not exist (give another file with -f)`);
  const text = readFileSync(resolved, 'utf8');
  if (Buffer.byteLength(text) > maxFileBytes) throw new UsageError(`${file} is larger than 1 MiB`);
  return { path: resolved, text };
}

/**
 * Photon names a deployment by its file (`photon status -f photon.yml`): `create` records which deployment a file
 * made, per server, in the CLI's config directory, so `status`, `update`, `delete` and `notify` find it again.
 */
function deploymentsFilePath(io: CliIo): string {
  return path.join(path.dirname(configFilePath(io.env, io.homeDirectory)), 'deployments.json');
}

type DeploymentsByFile = Record<string, string>;

function readRecorded(io: CliIo): DeploymentsByFile {
  const file = deploymentsFilePath(io);
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DeploymentsByFile;
  } catch {
    return {};
  }
}

const keyOf = (serverUrl: string, filePath: string) => `${serverUrl} ${filePath}`;

export function recordDeployment(io: CliIo, serverUrl: string, filePath: string, id: string | undefined): void {
  const recorded = readRecorded(io);
  if (id === undefined) delete recorded[keyOf(serverUrl, filePath)];
  else recorded[keyOf(serverUrl, filePath)] = id;
  const file = deploymentsFilePath(io);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(recorded, null, 2)}\n`, { mode: 0o600 });
}

/** The id given, else the deployment `create` made from the file on this server. */
export function deploymentIdFor(io: CliIo, serverUrl: string, id: string | undefined, file: string): string {
  if (id !== undefined) return id;
  const recorded = readRecorded(io)[keyOf(serverUrl, path.resolve(file))];
  if (recorded === undefined)
    throw new UsageError(`no deployment was created from ${file} on ${serverUrl}: give its id`);
  return recorded;
}
