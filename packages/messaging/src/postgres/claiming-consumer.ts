import type { Consumer } from '../bus';
import type { BusLogger } from '../bus-options';
import { InFlight } from '../core/in-flight';

export interface ClaimSpec<T> {
  /** Names the consumer in logs. */
  name: string;
  /** The queue whose wake-ups concern this consumer. */
  queue: string;
  prefetch: number;
  /** Takes up to `limit` items off the queue. */
  claim(limit: number): Promise<T[]>;
  /** Handles one item to its end, settling it; never rejects. */
  process(item: T): Promise<void>;
}

/** What the bus needs of its consumers: route wake-ups by queue, stop them all. */
export interface WakeableConsumer extends Consumer {
  readonly queue: string;
  wake(): void;
}

/**
 * A competing consumer on a Postgres queue: at most `prefetch` items in hand, each counted from its claim until
 * its handler and settle finished. It claims when woken (a NOTIFY, a freed slot while items wait, a retry due
 * now) and on a fallback poll, since a notification is lost while the listener reconnects.
 */
export class ClaimingConsumer<T> implements WakeableConsumer {
  private readonly inFlight = new InFlight();
  private running = 0;
  /** The last claim filled every free slot, so more may be waiting: a finished item claims again. */
  private backlog = false;
  private claiming: Promise<void> | undefined;
  private wokenWhileClaiming = false;
  private wakeScheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private timerDueAt = Number.POSITIVE_INFINITY;
  private failing = false;
  private closed = false;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly spec: ClaimSpec<T>,
    private readonly pollIntervalMs: number,
    private readonly logger: BusLogger,
    private readonly onStopped: (consumer: ClaimingConsumer<T>) => void,
  ) {}

  get queue(): string {
    return this.spec.queue;
  }

  wake(): void {
    if (this.closed) return;
    if (this.claiming) {
      this.wokenWhileClaiming = true;
      return;
    }
    this.claiming = this.claimWhileRoom().finally(() => {
      this.claiming = undefined;
      if (this.wokenWhileClaiming) this.wake();
    });
  }

  /** Claim again after `delayMs` (a retry this consumer scheduled), unless a wake-up is due sooner anyway. */
  wakeIn(delayMs: number): void {
    if (this.closed) return;
    const dueAt = Date.now() + delayMs;
    if (this.timer && this.timerDueAt <= dueAt) return;
    clearTimeout(this.timer);
    this.timerDueAt = dueAt;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerDueAt = Number.POSITIVE_INFINITY;
      this.wake();
    }, delayMs);
    this.timer.unref();
  }

  /** Claims nothing more, waits for the claim under way and every item in hand to be handled and settled. */
  stop(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.stopping ??= (async () => {
      await this.claiming;
      await this.inFlight.drain();
      this.onStopped(this);
      this.logger.info({ consumer: this.spec.name }, 'consumer stopped');
    })();
    return this.stopping;
  }

  /** Items settled together free their slots in one turn: claim once for all of them, not once per slot. */
  private wakeAfterThisTurn(): void {
    if (this.wakeScheduled) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      this.wake();
    });
  }

  private async claimWhileRoom(): Promise<void> {
    do {
      this.wokenWhileClaiming = false;
      const room = this.spec.prefetch - this.running;
      if (room <= 0) {
        this.backlog = true;
        break;
      }
      let items: T[];
      try {
        items = await this.spec.claim(room);
      } catch (error) {
        // The poll tries again; a database that is down is logged once, not once per poll.
        if (!this.failing)
          this.logger.warn({ consumer: this.spec.name, err: error }, 'cannot claim; retrying on the next poll');
        this.failing = true;
        break;
      }
      if (this.failing) this.logger.info({ consumer: this.spec.name }, 'claiming again');
      this.failing = false;
      this.backlog = items.length === room;
      // Items claimed while stop() was called are in hand: they are handled, not dropped, and stop() waits for them.
      for (const item of items) this.start(item);
    } while ((this.backlog || this.wokenWhileClaiming) && !this.closed);
    this.wakeIn(this.pollIntervalMs);
  }

  private start(item: T): void {
    this.running += 1;
    this.inFlight.track(
      this.spec.process(item).finally(() => {
        this.running -= 1;
        if (this.backlog) this.wakeAfterThisTurn();
      }),
    );
  }
}
