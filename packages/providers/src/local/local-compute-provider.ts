import type { ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ComputeProvider, CreateInstanceInput, ProviderImage, ProviderInstance } from '../core/compute';
import { OVERCAST_ID_TAG, ProviderError } from '../core/compute';
import { anyCloudTypeOf } from '../core/machine-types';
import { allocateAddress } from './address-pool';
import { spawnBootAgent } from './boot-agent-process';
import type { LocalComputeConfig } from './config';
import { resolveLocalConfig } from './config';
import type { LocalInstanceRecord } from './instance-files';
import { instanceDir, readBootPhase, saveRecord, writeFileAtomic } from './instance-files';
import { instanceEnvironment } from './instance-environment';
import { createInstanceMetadataService, newMetadataToken } from './instance-metadata';
import { createInstanceSupervisor } from './instance-supervisor';

export interface LocalComputeProvider extends ComputeProvider {
  readonly dataDir: string;
  /** The instance's console: boot agent lines plus its scripts' stdout and stderr (last 1 MiB). */
  readConsole(id: string): Promise<string | null>;
  close(): Promise<void>;
}

const consoleTailBytes = 1024 * 1024;

function readTail(file: string, maxBytes: number): string {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * The embedded default: each instance is a real, supervised process booted from the operator's image
 * catalog, with its own loopback address. Instances outlive the provider (like VMs outlive a control plane)
 * and are re-adopted from `<dataDir>/instances` when it starts again. One provider per data dir.
 */
export function createLocalComputeProvider(
  input: LocalComputeConfig,
  options: { warn?: (message: string) => void } = {},
): LocalComputeProvider {
  const config = resolveLocalConfig(input);
  const warn = options.warn ?? ((message: string) => process.emitWarning(message));
  const supervisor = createInstanceSupervisor(config, warn);
  supervisor.adoptFromDisk();
  const dirOf = (id: string) => instanceDir(config.dataDir, id);
  const metadata = Object.values(config.images).some((image) => image.instanceMetadata)
    ? createInstanceMetadataService({
        dataDir: config.dataDir,
        instanceOf: (id) => {
          const record = supervisor.records.get(id);
          return record && !supervisor.refresh(record).exit ? record : undefined;
        },
        userDataOf: (id) => readFileSync(join(dirOf(id), 'user-data'), 'utf8'),
        warn,
      })
    : undefined;

  function view(record: LocalInstanceRecord): ProviderInstance {
    supervisor.refresh(record);
    const state = record.exit
      ? 'terminated'
      : record.terminatingSince
        ? 'terminating'
        : readBootPhase(dirOf(record.id)) === 'running'
          ? 'running'
          : 'starting';
    return {
      id: record.id,
      upstreamId: String(record.pid ?? ''),
      state,
      ipAddress: state === 'terminated' ? null : record.ipAddress,
      tags: { ...record.tags, [OVERCAST_ID_TAG]: record.id },
      createdAt: new Date(record.createdAt),
    };
  }

  function liveAddresses(): string[] {
    return [...supervisor.records.values()]
      .filter((record) => !supervisor.refresh(record).exit)
      .map((record) => record.ipAddress);
  }

  /** Synchronous from the id check to the spawn, so two concurrent creates of one id cannot both launch. */
  function launch(request: CreateInstanceInput): LocalInstanceRecord {
    const dir = dirOf(request.id);
    const existing = supervisor.records.get(request.id);
    if (existing) return existing;
    // Own keys only: an image named "constructor" must not find Object.prototype.constructor.
    const image = Object.hasOwn(config.images, request.image) ? config.images[request.image] : undefined;
    if (!image) {
      throw new ProviderError(
        `unknown local image "${request.image}"; the catalog has: ${Object.keys(config.images).join(', ')}`,
        {
          retryable: false,
          code: 'IMAGE_NOT_FOUND',
        },
      );
    }
    mkdirSync(join(dir, 'home'), { recursive: true, mode: 0o700 });
    writeFileAtomic(join(dir, 'user-data'), request.userData ?? '');
    if (request.sshPublicKey) {
      mkdirSync(join(dir, 'home', '.ssh'), { recursive: true, mode: 0o700 });
      writeFileAtomic(join(dir, 'home', '.ssh', 'authorized_keys'), `${request.sshPublicKey.trim()}\n`);
    }
    const record: LocalInstanceRecord = {
      id: request.id,
      image: request.image,
      instanceType: request.instanceType,
      tags: { ...request.tags },
      ipAddress: allocateAddress(config.addressPrefix, liveAddresses()),
      createdAt: new Date().toISOString(),
      ...(metadata && image.instanceMetadata ? { metadataToken: newMetadataToken() } : {}),
      pid: null,
    };
    // Recorded before the spawn: a crash of this process in between leaves a "never started" record.
    saveRecord(config.dataDir, record);
    supervisor.records.set(record.id, record);
    let child: ChildProcess;
    try {
      child = spawnBootAgent({
        dir,
        env: instanceEnvironment({
          record,
          image,
          dir,
          fetchTimeoutMs: config.fetchTimeoutMs,
          ...(metadata && record.metadataToken
            ? { metadata: metadata.environmentFor({ ...record, metadataToken: record.metadataToken }) }
            : {}),
        }),
      });
    } catch (error) {
      // Nothing started: forget the instance so a retry launches it afresh.
      supervisor.records.delete(record.id);
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    record.pid = child.pid ?? null;
    saveRecord(config.dataDir, record);
    supervisor.watch(record, child);
    return record;
  }

  return {
    name: config.name,
    machineTypeOf: anyCloudTypeOf,
    dataDir: config.dataDir,
    async createInstance(request) {
      try {
        // Its port is in the environment of the instances that use it: listening before any of them starts.
        if (metadata) await metadata.ready;
        return view(launch(request));
      } catch (error) {
        if (error instanceof ProviderError) throw error;
        // A full disk or a process limit (ENOSPC, EAGAIN) may clear up; the retry adopts whatever was recorded.
        const code = (error as NodeJS.ErrnoException).code;
        throw new ProviderError(`local createInstance failed: ${(error as Error).message}`, {
          retryable: true,
          cause: error,
          ...(code ? { code } : {}),
        });
      }
    },
    async terminateInstance(id) {
      const record = supervisor.records.get(id);
      if (record) supervisor.terminate(record);
    },
    async getInstance(id) {
      const record = supervisor.records.get(id);
      return record ? view(record) : null;
    },
    listInstances: async () => [...supervisor.records.values()].map(view),
    // Loopback needs no firewall.
    ensureSshSecurityGroup: async () => null,
    async findNewestImage(role): Promise<ProviderImage | null> {
      const candidates = Object.entries(config.images)
        .filter(([, image]) => image.roles.includes(role))
        .sort(([nameA, a], [nameB, b]) => b.createdAt.getTime() - a.createdAt.getTime() || nameB.localeCompare(nameA));
      const newest = candidates[0];
      return newest ? { id: newest[0], name: newest[0], createdAt: newest[1].createdAt } : null;
    },
    listImages: async () =>
      Object.entries(config.images).map(([name, image]) => ({
        id: name,
        name: image.description ?? name,
        createdAt: image.createdAt,
        roles: image.roles,
      })),
    async readConsole(id) {
      if (!supervisor.records.has(id)) return null;
      try {
        return readTail(join(dirOf(id), 'console.log'), consoleTailBytes);
      } catch {
        return '';
      }
    },
    async close() {
      supervisor.close();
      await metadata?.close();
    },
  };
}
