import { randomUUID } from 'node:crypto';
import {
  OVERCAST_ID_TAG,
  ProviderError,
  type ComputeProvider,
  type CreateInstanceInput,
  type ProviderImage,
  type ProviderInstance,
} from '@overcast/providers';

export interface TestFakeProviderOptions {
  name?: string;
  /** Chance that createInstance fails *after* creating (a lost response), 0..1. */
  failAfterCreateRate?: number;
  images?: Record<string, ProviderImage>;
}

/** Which periodic job is listing: read off the synchronous call stack (one use case per file). */
function listingCaller(): 'refresh' | 'reaper' | 'other' {
  const stack = new Error().stack ?? '';
  if (stack.includes('refresh-instances.ts')) return 'refresh';
  if (stack.includes('reap-instances.ts')) return 'reaper';
  return 'other';
}

/**
 * An in-memory cloud for the broker's tests that counts what matters: how many instances were ever made
 * per Overcast id (duplicates), and how many calls overlapped (exclusivity of periodic jobs).
 */
export class TestFakeProvider implements ComputeProvider {
  readonly name: string;
  readonly instances = new Map<string, ProviderInstance>();
  /** Every instance ever created, by Overcast id: more than one entry for an id is a duplicate. */
  readonly creations = new Map<string, number>();
  readonly createInputs: CreateInstanceInput[] = [];
  failAfterCreateRate: number;
  failListing = false;
  failTerminate = false;
  /** Every create fails for good *after* creating (e.g. tagging failed once the VM existed). */
  failPermanentlyAfterCreate = false;
  listDelayMs = 0;
  /** Completed listings per periodic job, and the most listings one job ever had in flight at once. */
  readonly listings = { refresh: 0, reaper: 0, other: 0 };
  readonly maxConcurrentListings = { refresh: 0, reaper: 0, other: 0 };
  private readonly listingsInFlight = { refresh: 0, reaper: 0, other: 0 };
  private readonly images: Record<string, ProviderImage>;

  constructor(options: TestFakeProviderOptions = {}) {
    this.name = options.name ?? 'fake';
    this.failAfterCreateRate = options.failAfterCreateRate ?? 0;
    this.images = options.images ?? {};
  }

  async createInstance(input: CreateInstanceInput): Promise<ProviderInstance> {
    if (input.image === 'missing-image') throw new ProviderError(`image ${input.image} does not exist`, { retryable: false });
    let instance = this.instances.get(input.id);
    if (!instance) {
      instance = {
        id: input.id,
        upstreamId: `fake-${randomUUID().slice(0, 8)}`,
        state: 'starting',
        ipAddress: `10.0.${this.instances.size >> 8}.${this.instances.size & 255}`,
        tags: { ...input.tags, [OVERCAST_ID_TAG]: input.id },
        createdAt: new Date(),
      };
      this.instances.set(input.id, instance);
      this.creations.set(input.id, (this.creations.get(input.id) ?? 0) + 1);
      this.createInputs.push(input);
    }
    if (this.failPermanentlyAfterCreate) throw new ProviderError('fake: created, then failed for good', { retryable: false });
    if (Math.random() < this.failAfterCreateRate) throw new ProviderError('fake: response lost after creating', { retryable: true });
    return { ...instance };
  }

  async terminateInstance(id: string): Promise<void> {
    if (this.failTerminate) throw new ProviderError('fake: terminate failed', { retryable: true });
    const instance = this.instances.get(id);
    if (instance) instance.state = 'terminated';
  }

  async getInstance(id: string): Promise<ProviderInstance | null> {
    const instance = this.instances.get(id);
    return instance ? { ...instance } : null;
  }

  async listInstances(): Promise<ProviderInstance[]> {
    const caller = listingCaller();
    this.listingsInFlight[caller] += 1;
    this.maxConcurrentListings[caller] = Math.max(this.maxConcurrentListings[caller], this.listingsInFlight[caller]);
    try {
      if (this.listDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.listDelayMs));
      if (this.failListing) throw new ProviderError('fake: listing failed', { retryable: true });
      // Booted by the time anyone looks: starting instances are reported running.
      for (const instance of this.instances.values()) if (instance.state === 'starting') instance.state = 'running';
      return [...this.instances.values()].filter((instance) => OVERCAST_ID_TAG in instance.tags).map((instance) => ({ ...instance }));
    } finally {
      this.listingsInFlight[caller] -= 1;
      this.listings[caller] += 1;
    }
  }

  async ensureSshSecurityGroup(name: string): Promise<string | null> {
    return `sg-${name}`;
  }

  async findNewestImage(role: string): Promise<ProviderImage | null> {
    return this.images[role] ?? null;
  }

  /** Gone behind Overcast's back (someone deleted it in the cloud console). */
  vanish(id: string): void {
    this.instances.delete(id);
  }

  /** Live (not terminated) instances per Overcast id. */
  liveIds(): string[] {
    return [...this.instances.values()].filter((instance) => instance.state !== 'terminated').map((instance) => instance.id);
  }

  duplicates(): string[] {
    return [...this.creations.entries()].filter(([, count]) => count > 1).map(([id]) => id);
  }

  /** An Overcast-tagged instance no row knows of (a create whose row was lost). */
  addOrphan(id: string, createdAt: Date): void {
    this.instances.set(id, { id, upstreamId: `orphan-${id}`, state: 'running', ipAddress: null, tags: { [OVERCAST_ID_TAG]: id }, createdAt });
  }

  /** Pretend an instance was created long ago (past the reaper's grace period). */
  backdate(id: string, createdAt: Date): void {
    const instance = this.instances.get(id);
    if (instance) instance.createdAt = createdAt;
  }

  /** An instance of someone else's in the same account: no Overcast tag. */
  addUntagged(id: string, createdAt: Date): void {
    this.instances.set(id, { id, upstreamId: `other-${id}`, state: 'running', ipAddress: null, tags: {}, createdAt });
  }
}
