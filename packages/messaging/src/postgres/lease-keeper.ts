import type { BusLogger } from '../bus-options';
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
 * Every third of a lease, and after every reconnect of the listener: renews the leases of handlers still running (so
 * a slow handler keeps its message), makes the leases of bus sessions that are gone claimable at once (a dead
 * process, or this bus before its reconnect: a claim whose answer was lost with the connection), and deletes RPC
 * rows long past their deadline.
 */
export class LeaseKeeper {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;

  constructor(private readonly deps: LeaseKeeperDeps) {}

  start(): void {
    // A round still under way (a slow or unreachable database) is not queued behind.
    this.timer = setInterval(() => void (this.round ?? this.keepNow()), Math.max(1, Math.floor(this.deps.leaseMs / 3)));
    this.timer.unref();
  }

  /** A round now, or right after the one under way (which may have renewed under the previous owner id). */
  keepNow(): Promise<void> {
    const previous = this.round ?? Promise.resolve();
    const round: Promise<void> = previous
      .then(() => this.keep())
      .finally(() => {
        if (this.round === round) this.round = undefined;
      });
    this.round = round;
    return round;
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

  /**
   * Renewal comes first and must succeed before a release: after a reconnect the leases in hand still name the old
   * owner id, whose lock is gone, and releasing them before they name the new one would deliver them twice.
   */
  private async keep(): Promise<void> {
    const { deps } = this;
    const step = (name: string, run: () => Promise<void>): Promise<boolean> =>
      run().then(
        () => true,
        (error: unknown) => {
          deps.logger.warn({ step: name, err: error }, 'bus lease keeping failed; trying again next round');
          return false;
        },
      );
    const renewed = await step('renew leases', () =>
      deps.messages.renew([...deps.leased], deps.leaseMs, deps.leaseOwner()),
    );
    if (renewed) await step('release orphaned leases', () => this.releaseOrphanedLeases());
    await step('delete expired rpc rows', () => deps.requests.deleteExpired(Date.now()));
  }
}
