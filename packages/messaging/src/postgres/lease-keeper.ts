import type { BusLogger } from '../bus-options';
import { describeError } from '../core/parse-envelope';
import type { ClaimedMessage, MessageStore } from './message-store';
import type { RequestStore } from './request-store';

export interface LeaseKeeperDeps {
  messages: MessageStore;
  requests: RequestStore;
  leased: Set<ClaimedMessage>;
  leaseMs: number;
  leaseOwner(): number | undefined;
  /** Work became claimable (a dead bus's leases were released): look for it now. */
  onReleased(): void;
  logger: BusLogger;
}

/**
 * Every third of a lease: renews the leases of handlers still running (so a slow handler keeps its message), makes
 * the leases of buses that are gone claimable at once, and deletes RPC rows long past their deadline.
 */
export class LeaseKeeper {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;

  constructor(private readonly deps: LeaseKeeperDeps) {}

  start(): void {
    this.timer = setInterval(() => {
      this.round ??= this.keep().finally(() => {
        this.round = undefined;
      });
    }, Math.max(1, Math.floor(this.deps.leaseMs / 3)));
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.round;
  }

  /** Also run once at start: a process restarted after a crash gets its predecessor's messages back at once. */
  async releaseOrphanedLeases(): Promise<void> {
    const released = await this.deps.messages.releaseOrphanedLeases();
    if (released === 0) return;
    this.deps.logger.warn({ released }, 'released the leases of a bus that is gone; its messages are redelivered');
    this.deps.onReleased();
  }

  private async keep(): Promise<void> {
    const { deps } = this;
    const steps: [string, () => Promise<void>][] = [
      ['renew leases', () => deps.messages.renew([...deps.leased], deps.leaseMs, deps.leaseOwner())],
      ['release orphaned leases', () => this.releaseOrphanedLeases()],
      ['delete expired rpc rows', () => deps.requests.deleteExpired(Date.now())],
    ];
    for (const [step, run] of steps) {
      await run().catch((error: unknown) => deps.logger.warn({ step, error: describeError(error) }, 'bus lease keeping failed; trying again next round'));
    }
  }
}
