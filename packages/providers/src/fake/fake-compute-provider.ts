import type {
  ComputeProvider,
  CreateInstanceInput,
  ProviderCatalogImage,
  ProviderInstance,
  ProviderInstanceState,
} from '../core/compute';
import type { AutoscalingGroups } from '../core/autoscaling';
import { OVERCAST_ID_TAG, ProviderError } from '../core/compute';
import { anyCloudTypeOf } from '../core/machine-types';
import type { FakeMethod, FaultKind, FaultOptions } from './fault-plan';
import { createFaultPlan, faultError } from './fault-plan';
import { defaultFakeImages } from './fake-images';

export interface FakeComputeOptions extends FaultOptions {
  /** Registry name; several fakes can stand in for several clouds. */
  name?: string;
  /** Delay of every call: fixed, or drawn (seeded) from a range. */
  latencyMs?: number | { min: number; max: number };
  /** How long an instance stays `starting`, and `terminating`, measured with `now`. */
  bootMs?: number;
  shutdownMs?: number;
  /**
   * The images this cloud has (default: defaultFakeImages): what listImages offers and findNewestImage picks from;
   * a create with any other image fails permanently, as with an AMI that does not exist.
   */
  images?: readonly ProviderCatalogImage[];
  now?: () => number;
  /** Give this cloud autoscaling groups (in memory); without them it has none, as local and gce. */
  autoscalingGroups?: AutoscalingGroups;
}

interface FakeRecord {
  input: CreateInstanceInput;
  upstreamId: string;
  ipAddress: string;
  createdAt: number;
  terminateRequestedAt?: number;
  forcedState?: ProviderInstanceState;
}

export interface FakeComputeProvider extends ComputeProvider {
  /** Calls per method, failed ones included. */
  readonly calls: Readonly<Record<FakeMethod, number>>;
  /** Instances actually launched: a retried create that found its instance does not count. */
  readonly launches: number;
  /** Make the next `times` calls of `method` fail (`lost-response`: do the work, then fail). */
  failNext(method: FakeMethod, options?: { kind?: FaultKind; times?: number; retryable?: boolean }): void;
  /** Delete an instance behind Overcast's back: it disappears from get and list. */
  vanish(id: string): boolean;
  /** Change an instance's state behind Overcast's back (say, stopped by an operator). */
  setState(id: string, state: ProviderInstanceState): void;
}

const methods: FakeMethod[] = [
  'createInstance',
  'terminateInstance',
  'getInstance',
  'listInstances',
  'ensureSshSecurityGroup',
  'findNewestImage',
];

/** A deterministic in-memory cloud for tests and benchmarks, idempotent on the Overcast id like the real ones. */
export function createFakeComputeProvider(options: FakeComputeOptions = {}): FakeComputeProvider {
  const now = options.now ?? Date.now;
  const faults = createFaultPlan<FakeMethod>(
    options,
    (method) => method === 'createInstance' || method === 'terminateInstance',
  );
  const images = options.images ?? defaultFakeImages;
  const records = new Map<string, FakeRecord>();
  const groups = new Set<string>();
  const calls = Object.fromEntries(methods.map((method) => [method, 0])) as Record<FakeMethod, number>;
  let launches = 0;

  function stateOf(record: FakeRecord): ProviderInstanceState {
    if (record.forcedState) return record.forcedState;
    if (record.terminateRequestedAt !== undefined) {
      return now() - record.terminateRequestedAt >= (options.shutdownMs ?? 0) ? 'terminated' : 'terminating';
    }
    return now() - record.createdAt >= (options.bootMs ?? 0) ? 'running' : 'starting';
  }

  function view(record: FakeRecord, state = stateOf(record)): ProviderInstance {
    return {
      id: record.input.id,
      upstreamId: record.upstreamId,
      state,
      ipAddress: state === 'terminated' ? null : record.ipAddress,
      tags: { ...record.input.tags, [OVERCAST_ID_TAG]: record.input.id },
      createdAt: new Date(record.createdAt),
    };
  }

  /** Latency, then maybe a fault: `error` throws before the work, `lost-response` after it. */
  async function call<T>(method: FakeMethod, work: () => T): Promise<T> {
    calls[method] += 1;
    const latency = options.latencyMs;
    const delay = typeof latency === 'number' ? latency : latency ? faults.randomBetween(latency.min, latency.max) : 0;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const fault = faults.next(method);
    if (fault?.kind === 'error') throw faultError(method, 'error', fault.retryable);
    const result = work();
    if (fault?.kind === 'lost-response') throw faultError(method, 'lost-response', fault.retryable);
    return result;
  }

  function launch(input: CreateInstanceInput): ProviderInstance {
    const existing = records.get(input.id);
    if (existing) return view(existing);
    if (!images.some((image) => image.id === input.image)) {
      throw new ProviderError(`fake: unknown image "${input.image}"`, { retryable: false, code: 'IMAGE_NOT_FOUND' });
    }
    launches += 1;
    const record: FakeRecord = {
      input: { ...input },
      upstreamId: `fake-${launches}`,
      ipAddress: `10.${(launches >> 16) & 255}.${(launches >> 8) & 255}.${launches & 255}`,
      createdAt: now(),
    };
    records.set(input.id, record);
    // A fresh instance reads as starting, like a cloud's create answer.
    return view(record, 'starting');
  }

  return {
    name: options.name ?? 'fake',
    ...(options.autoscalingGroups ? { autoscalingGroups: options.autoscalingGroups } : {}),
    machineTypeOf: anyCloudTypeOf,
    calls,
    get launches() {
      return launches;
    },
    createInstance: (input) => call('createInstance', () => launch(input)),
    terminateInstance: (id) =>
      call('terminateInstance', () => {
        const record = records.get(id);
        if (record && record.terminateRequestedAt === undefined) record.terminateRequestedAt = now();
        if (record) delete record.forcedState;
      }),
    getInstance: (id) =>
      call('getInstance', () => {
        const record = records.get(id);
        return record ? view(record) : null;
      }),
    listInstances: () => call('listInstances', () => [...records.values()].map((record) => view(record))),
    ensureSshSecurityGroup: (name) =>
      call('ensureSshSecurityGroup', () => {
        groups.add(name);
        return `sg-fake-${name}`;
      }),
    findNewestImage: (role) =>
      call('findNewestImage', () => {
        const ofRole = images.filter((image) => image.roles.includes(role));
        const newest = ofRole.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
        return newest ? { id: newest.id, name: newest.name, createdAt: newest.createdAt } : null;
      }),
    listImages: async () => images.map((image) => ({ ...image, roles: [...image.roles] })),
    failNext(method, { kind = 'error', times = 1, retryable = true } = {}) {
      faults.script(method, kind, times, retryable);
    },
    vanish: (id) => records.delete(id),
    setState(id, state) {
      const record = records.get(id);
      if (!record) throw new Error(`fake: no instance ${id}`);
      record.forcedState = state;
    },
  };
}
