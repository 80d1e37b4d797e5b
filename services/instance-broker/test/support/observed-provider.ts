import {
  createFakeComputeProvider,
  OVERCAST_ID_TAG,
  ProviderError,
  type ComputeProvider,
  type CreateInstanceInput,
  type FakeComputeOptions,
  type FakeComputeProvider,
  type ProviderCatalogImage,
  type ProviderInstance,
} from '@overcast/providers';

type Caller = 'refresh' | 'reaper' | 'other';

/** Which periodic job is listing: read off the synchronous call stack (one use case per file). */
function listingCaller(): Caller {
  const stack = new Error().stack ?? '';
  if (stack.includes('refresh-instances.ts')) return 'refresh';
  if (stack.includes('reap-instances.ts')) return 'reaper';
  return 'other';
}

/**
 * The providers package's fake, observed: what the broker asked it to create, how many listings each
 * periodic job made and how many it ever had in flight at once, plus a few faults the fake has no knob for.
 */
export class ObservedProvider implements ComputeProvider {
  readonly name: string;
  readonly fake: FakeComputeProvider;
  /** The fake's own (given as `options.autoscalingGroups`), unobserved. */
  readonly autoscalingGroups: FakeComputeProvider['autoscalingGroups'];
  readonly createInputs: CreateInstanceInput[] = [];
  readonly terminated: string[] = [];
  readonly listings: Record<Caller, number> = { refresh: 0, reaper: 0, other: 0 };
  readonly maxConcurrentListings: Record<Caller, number> = { refresh: 0, reaper: 0, other: 0 };
  private readonly inFlight: Record<Caller, number> = { refresh: 0, reaper: 0, other: 0 };
  private readonly untagged: ProviderInstance[] = [];
  /** Shifts the fake's clock: instances created meanwhile look that much older to the reaper. */
  clockOffsetMs = 0;
  failListing = false;
  listDelayMs = 0;
  /** While set, terminations wait for it: a test holds an instance in `terminating`. */
  terminationsHeld: Promise<void> | null = null;

  constructor(options: FakeComputeOptions = {}) {
    this.fake = createFakeComputeProvider({
      ...options,
      now: () => Date.now() + this.clockOffsetMs,
    });
    this.name = this.fake.name;
    this.autoscalingGroups = this.fake.autoscalingGroups;
  }

  machineTypeOf(requested: string): string | null {
    return this.fake.machineTypeOf(requested);
  }

  createInstance(input: CreateInstanceInput): Promise<ProviderInstance> {
    this.createInputs.push(input);
    return this.fake.createInstance(input);
  }

  async terminateInstance(id: string): Promise<void> {
    this.terminated.push(id);
    await this.terminationsHeld;
    await this.fake.terminateInstance(id);
  }

  listImages(): Promise<ProviderCatalogImage[]> {
    return this.fake.listImages?.() ?? Promise.resolve([]);
  }

  getInstance(id: string): Promise<ProviderInstance | null> {
    return this.fake.getInstance(id);
  }

  async listInstances(): Promise<ProviderInstance[]> {
    const caller = listingCaller();
    this.inFlight[caller] += 1;
    this.maxConcurrentListings[caller] = Math.max(this.maxConcurrentListings[caller], this.inFlight[caller]);
    try {
      if (this.listDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.listDelayMs));
      if (this.failListing) throw new ProviderError('observed fake: listing failed', { retryable: true });
      return [...(await this.fake.listInstances()), ...this.untagged];
    } finally {
      this.inFlight[caller] -= 1;
      this.listings[caller] += 1;
    }
  }

  ensureSshSecurityGroup(name: string): Promise<string | null> {
    return this.fake.ensureSshSecurityGroup(name);
  }

  findNewestImage(role: string) {
    return this.fake.findNewestImage(role);
  }

  /** Someone else's VM in the same account, listed by a careless provider: no Overcast tag. */
  addUntagged(id: string, createdAt: Date): void {
    this.untagged.push({ id, upstreamId: `other-${id}`, state: 'running', ipAddress: null, tags: {}, createdAt });
  }

  async stateOf(id: string): Promise<string | null> {
    return (await this.fake.getInstance(id))?.state ?? null;
  }

  /** Overcast ids of instances the provider still runs (not terminated). */
  async liveIds(): Promise<string[]> {
    const listed = await this.fake.listInstances();
    return listed
      .filter((instance) => instance.state !== 'terminated' && OVERCAST_ID_TAG in instance.tags)
      .map((instance) => instance.id);
  }
}
