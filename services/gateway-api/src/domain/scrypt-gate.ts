/**
 * Bounds the scrypt work token verification may cause. scrypt runs on libuv's small thread pool
 * (shared with fs and dns), ~30-47 ms each: unbounded, a flood of wrong secrets would queue there and
 * starve everything else. At most `concurrency` run at once, at most `maxQueued` wait, and one client
 * may hold at most `perClient` of those slots; beyond that a verification is refused before it starts.
 * And over all clients, failed verifications may spend at most `failuresPerSecond` scrypt runs a second
 * (a bucket of that size, refilled continuously): once many addresses' wrong secrets used it up, new
 * verifications wait for it ('busy', Retry-After) instead of taking the CPU valid requests need. Without
 * failures it never refuses anything, so a restarted gateway verifies its clients' tokens at full speed.
 */
export interface ScryptGateOptions {
  concurrency: number;
  maxQueued: number;
  perClient: number;
  failuresPerSecond: number;
  now?: () => number;
}

export type GateRefusal = 'busy' | 'client_busy';

export class GateRefused extends Error {
  constructor(readonly reason: GateRefusal) {
    super(reason === 'busy' ? 'token verification is saturated' : 'too many verifications in flight for this client');
    this.name = 'GateRefused';
  }
}

export class ScryptGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly perClient = new Map<string, number>();
  private failureAllowance: number;
  private allowanceAt: number;
  private readonly now: () => number;

  constructor(private readonly options: ScryptGateOptions) {
    this.now = options.now ?? Date.now;
    this.failureAllowance = options.failuresPerSecond;
    this.allowanceAt = this.now();
  }

  /** A verification that ran scrypt found the secret wrong: it spends the failure allowance. */
  recordFailure(): void {
    this.refill();
    this.failureAllowance -= 1;
  }

  /** Verifications of this client running or waiting. */
  heldBy(client: string): number {
    return this.perClient.get(client) ?? 0;
  }

  /** Why `run` would refuse this client right now, if it would: lets a caller skip the work leading up to it. */
  refusalFor(client: string): GateRefusal | undefined {
    if (this.heldBy(client) >= this.options.perClient) return 'client_busy';
    if (this.running >= this.options.concurrency && this.waiting.length >= this.options.maxQueued) return 'busy';
    this.refill();
    if (this.failureAllowance < 1) return 'busy';
    return undefined;
  }

  private refill(): void {
    const now = this.now();
    const { failuresPerSecond } = this.options;
    this.failureAllowance = Math.min(failuresPerSecond, this.failureAllowance + ((now - this.allowanceAt) / 1000) * failuresPerSecond);
    this.allowanceAt = now;
  }

  async run<T>(client: string, work: () => Promise<T>): Promise<T> {
    const refusal = this.refusalFor(client);
    if (refusal) throw new GateRefused(refusal);
    this.perClient.set(client, this.heldBy(client) + 1);
    try {
      if (this.running >= this.options.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
      else this.running += 1;
      try {
        return await work();
      } finally {
        this.release();
      }
    } finally {
      const remaining = (this.perClient.get(client) ?? 1) - 1;
      if (remaining <= 0) this.perClient.delete(client);
      else this.perClient.set(client, remaining);
    }
  }

  // A finished slot is handed straight to the next waiter, so `running` never exceeds the limit.
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }
}
