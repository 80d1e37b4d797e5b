import pLimit, { type LimitFunction } from 'p-limit';

/**
 * Bounds the scrypt work token verification may cause, and how much of it one stranger may cause. scrypt runs on
 * libuv's small thread pool (shared with fs and dns): unbounded, a flood of wrong secrets would queue there and
 * starve everything else.
 * - At most `concurrency` scrypt runs at once and `maxQueued` verifications waiting; one client address, and one
 *   token id, may hold at most `perClient` of those places.
 * - Failed verifications over all clients may spend at most `failuresPerSecond` scrypt runs a second: a bucket of
 *   that size, refilled continuously, from which every verification reserves one unit *before* scrypt runs (a
 *   match gives it back). Counting failures after scrypt let a concurrent burst overdraw it far into the future.
 * - One source (a client address, a token id) runs one verification at a time (the others wait their turn). For
 *   `2 / failuresPerSecond` seconds after a failure a source is suspect: it never takes the allowance's last unit
 *   but waits (at most that long) for a second one. Failures against one token id or from one address thus always
 *   leave a unit for a different token, and one honest mistake costs its client a short wait, not a refusal.
 * Without failures nothing is ever refused beyond the queue bounds: a restarted gateway verifies at full speed.
 */
export interface ScryptGateOptions {
  concurrency: number;
  maxQueued: number;
  perClient: number;
  failuresPerSecond: number;
  now?: () => number;
  sleep?: (milliseconds: number) => Promise<void>;
}

/** Who asks to verify which token: each is a source whose failures may spend only its share of the allowance. */
export interface VerificationSource {
  client: string;
  tokenId: number;
}

/** `client_busy`: this client has too many verifications in the gate; `busy`: capacity or allowance is used up. */
export type GateRefusal = 'busy' | 'client_busy';

export class GateRefused extends Error {
  constructor(
    readonly reason: GateRefusal,
    readonly retryAfterSeconds: number,
  ) {
    super(reason === 'busy' ? 'token verification is saturated' : 'too many verifications for this client');
    this.name = 'GateRefused';
  }
}

const clientKey = (client: string) => `client ${client}`;
const tokenKey = (tokenId: number) => `token ${tokenId}`;
const wholeSeconds = (milliseconds: number) => Math.max(1, Math.ceil(milliseconds / 1000));
const sleepFor = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

export class ScryptGate {
  private readonly scryptSlots: LimitFunction;
  /** One turn at a time per source; an entry lives while that source holds a place in the gate. */
  private readonly turns = new Map<string, LimitFunction>();
  private readonly held = new Map<string, number>();
  private heldInAll = 0;
  /** Sources that failed within their interval. Only failures add entries, so the allowance bounds this map. */
  private readonly suspectUntil = new Map<string, number>();
  private readonly sourceIntervalMs: number;
  private allowance: number;
  private allowanceAt: number;
  private readonly now: () => number;
  private readonly sleep: (milliseconds: number) => Promise<void>;

  constructor(private readonly options: ScryptGateOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? sleepFor;
    this.scryptSlots = pLimit(options.concurrency);
    this.sourceIntervalMs = 2000 / options.failuresPerSecond;
    this.allowance = options.failuresPerSecond;
    this.allowanceAt = this.now();
  }

  /** Verifications of this client address running or waiting. */
  heldBy(client: string): number {
    return this.held.get(clientKey(client)) ?? 0;
  }

  /** Why `run` would refuse this verification right now, if it would: lets a caller skip the work leading up to it. */
  refusalFor(source: VerificationSource): GateRefused | undefined {
    const { perClient, concurrency, maxQueued } = this.options;
    if (this.heldBy(source.client) >= perClient) return new GateRefused('client_busy', 1);
    if ((this.held.get(tokenKey(source.tokenId)) ?? 0) >= perClient) return new GateRefused('busy', 1);
    if (this.heldInAll >= concurrency + maxQueued) return new GateRefused('busy', 1);
    const wait = this.waitBeforeSpending(source);
    return wait instanceof GateRefused ? wait : undefined;
  }

  /** Runs `matches` (scrypt) when the allowance and the sources' shares permit; resolves to what it answered. */
  async run(source: VerificationSource, matches: () => Promise<boolean>): Promise<boolean> {
    const refusal = this.refusalFor(source);
    if (refusal) throw refusal;
    const keys = [clientKey(source.client), tokenKey(source.tokenId)] as const;
    for (const key of keys) this.held.set(key, (this.held.get(key) ?? 0) + 1);
    this.heldInAll += 1;
    try {
      // Always the client's turn first, then the token's: one order, so no two verifications wait on each other.
      return await this.turnOf(keys[0])(() => this.turnOf(keys[1])(() => this.spend(source, matches)));
    } finally {
      this.heldInAll -= 1;
      for (const key of keys) this.release(key);
    }
  }

  private async spend(source: VerificationSource, matches: () => Promise<boolean>): Promise<boolean> {
    // Asked again: while this waited its turn, the source may have failed or others spent the allowance.
    const deadline = this.now() + this.sourceIntervalMs;
    for (let wait = this.waitBeforeSpending(source); wait !== 0; wait = this.waitBeforeSpending(source)) {
      if (wait instanceof GateRefused) throw wait;
      // New failures of the other source could keep this one suspect: it waits one interval at most.
      if (this.now() >= deadline) throw new GateRefused('busy', wholeSeconds(wait));
      await this.sleep(Math.min(wait, deadline - this.now()));
    }
    this.allowance -= 1;
    let matched: boolean;
    try {
      matched = await this.scryptSlots(matches);
    } catch (error) {
      this.giveBack();
      throw error;
    }
    if (matched) this.giveBack();
    else this.suspect(source);
    return matched;
  }

  /** 0: spend now; a number: a suspect source's milliseconds to wait; a refusal: the allowance is used up. */
  private waitBeforeSpending(source: VerificationSource): number | GateRefused {
    const now = this.now();
    this.refill(now);
    const { failuresPerSecond } = this.options;
    const suspectFor =
      Math.max(
        this.suspectUntil.get(clientKey(source.client)) ?? 0,
        this.suspectUntil.get(tokenKey(source.tokenId)) ?? 0,
      ) - now;
    if (suspectFor > 0) {
      if (this.allowance >= 2) return 0;
      const untilSecondUnit =
        failuresPerSecond >= 2 ? ((2 - this.allowance) / failuresPerSecond) * 1000 : Number.POSITIVE_INFINITY;
      return Math.min(untilSecondUnit, suspectFor);
    }
    if (this.allowance >= 1) return 0;
    return new GateRefused('busy', wholeSeconds(((1 - this.allowance) / failuresPerSecond) * 1000));
  }

  private refill(now: number): void {
    const { failuresPerSecond } = this.options;
    this.allowance = Math.min(
      failuresPerSecond,
      this.allowance + ((now - this.allowanceAt) / 1000) * failuresPerSecond,
    );
    this.allowanceAt = now;
  }

  private giveBack(): void {
    this.refill(this.now());
    this.allowance = Math.min(this.options.failuresPerSecond, this.allowance + 1);
  }

  private suspect(source: VerificationSource): void {
    const now = this.now();
    for (const [key, until] of this.suspectUntil) if (until <= now) this.suspectUntil.delete(key);
    const until = now + this.sourceIntervalMs;
    this.suspectUntil.set(clientKey(source.client), until);
    this.suspectUntil.set(tokenKey(source.tokenId), until);
  }

  private turnOf(key: string): LimitFunction {
    let turn = this.turns.get(key);
    if (!turn) this.turns.set(key, (turn = pLimit(1)));
    return turn;
  }

  private release(key: string): void {
    const remaining = (this.held.get(key) ?? 1) - 1;
    if (remaining > 0) return void this.held.set(key, remaining);
    this.held.delete(key);
    this.turns.delete(key);
  }
}
