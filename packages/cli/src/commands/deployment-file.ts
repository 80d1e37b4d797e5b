import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createDeploymentConfigParser, createIncludeLoader, type ConfigError } from '@overcast/deployment-config';
import type { CliIo } from '../cli-io';
import { ReportedFailure, UsageError } from '../cli-io';
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

// Includes the CLI reads: files beside the deployment file (the registry reads none) and public https URLs.
const includeLimits = { maxBytes: 1_048_576 };
const httpsIncludes = { maxBytes: 1_048_576, timeoutMs: 5_000 };
export const cliIncludeLoader = () => createIncludeLoader({ files: includeLimits, https: httpsIncludes });

/** Problems as `file:line:column: path: message`, the file relative to the working directory. */
export function shownErrors(errors: readonly ConfigError[]) {
  return errors.map((error) => ({ ...error, source: path.relative(process.cwd(), error.source) || error.source }));
}

export function formatErrors(errors: readonly ConfigError[]): string {
  return shownErrors(errors)
    .map((error) => `${error.source}:${error.line}:${error.column}: ${error.path || '(document)'}: ${error.message}\n`)
    .join('');
}

/**
 * The file as the registry is sent it. The registry reads no files, so a file with includes is checked here, where
 * they are (every problem with its file and line, on stderr), and sent as one document with them merged in, as
 * the registry would merge them; a file without includes is sent as written.
 */
export async function readDeploymentSource(io: CliIo, file: string): Promise<{ path: string; text: string }> {
  const read = readDeploymentFile(file);
  const parser = createDeploymentConfigParser();
  try {
    const options = { source: read.path, loadInclude: cliIncludeLoader() };
    const inlined = await parser.inlineIncludes(read.text, options);
    if (inlined.ok && !inlined.inlined) return read;
    // Every problem, not only the includes': the registry could name none of them in the files they are in.
    const verdict = await parser.parse(read.text, options);
    if (!verdict.ok || !inlined.ok) {
      io.stderr(formatErrors(!verdict.ok ? verdict.errors : inlined.ok ? [] : inlined.errors));
      throw new ReportedFailure(`${file} is invalid`);
    }
    return { path: read.path, text: inlined.text };
  } finally {
    await parser.close();
  }
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
