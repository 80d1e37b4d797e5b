import type { DeadLetter } from '../bus';
import { deadLetterFrom } from '../core/dead-letter';
import type { MessageOutcome } from '../core/handle-message';
import { ownerLockClass } from './bus-names';
import type { BusNames } from './bus-names';
import type { BusPools } from './bus-pools';
import { messageStatements } from './message-statements';
import { storableText } from './storable-text';

export interface Publication {
  exchange: string;
  routingKey: string;
  body: string;
}

/** A claimed row: `deliveries` is the fencing token its settle must present. */
export interface ClaimedMessage {
  id: string;
  body: string;
  attempt: number;
  deliveries: number;
}

export interface Settlement {
  message: ClaimedMessage;
  outcome: MessageOutcome;
}

const byId = (a: { id: string }, b: { id: string }): number => (BigInt(a.id) < BigInt(b.id) ? -1 : 1);

/** The durable queues. Publishes and bindings commit durably; the rest on the async-commit pool (see BusPools). */
export class MessageStore {
  private readonly sql: ReturnType<typeof messageStatements>;

  constructor(
    private readonly pools: Pick<BusPools, 'durable' | 'asyncCommit'>,
    private readonly names: BusNames,
  ) {
    this.sql = messageStatements(names);
  }

  /** Binds idempotently; bindings are never removed, as a durable queue's are not. */
  async bind(exchange: string, routingKeys: string[], queue: string): Promise<void> {
    await this.pools.durable.query({ ...this.sql.bind, values: [exchange, routingKeys.map(storableText), queue] });
  }

  /**
   * Which publications found a queue. Bodies are JSON text (no NUL, lone surrogates escaped) and routing keys are
   * made storable, so no publication can fail the others of its batch.
   */
  async publish(publications: Publication[]): Promise<boolean[]> {
    const result = await this.pools.durable.query<{ ordinal: number | null }>({
      ...this.sql.publish,
      values: [
        publications.map((_publication, index) => index),
        publications.map((publication) => publication.exchange),
        publications.map((publication) => storableText(publication.routingKey)),
        publications.map((publication) => publication.body),
        this.names.wakeChannel,
      ],
    });
    const routed = new Set(result.rows.map((row) => row.ordinal));
    return publications.map((_publication, index) => routed.has(index));
  }

  /** Leases up to `limit` due messages of `queue`, oldest due first, skipping rows other consumers are claiming. */
  async claim(queue: string, limit: number, leaseMs: number, owner: number | undefined): Promise<ClaimedMessage[]> {
    const result = await this.pools.asyncCommit.query<ClaimedMessage>({
      ...this.sql.claim,
      values: [queue, limit, leaseMs, owner ?? null],
    });
    return result.rows.sort(byId);
  }

  /**
   * Acts on handler outcomes: done deletes, retry reschedules (a fresh delivery count, so it is not a redelivery),
   * dead moves the row to dead_letters. A row whose delivery count moved on was taken over after its lease ran out;
   * it is left to its new consumer. Returns, per settlement, whether it applied.
   */
  async settle(settlements: Settlement[]): Promise<boolean[]> {
    const outcomes = settlements.map(({ outcome }) => outcome);
    const result = await this.pools.asyncCommit.query<{ id: string }>({
      ...this.sql.settle,
      values: [
        settlements.map(({ message }) => message.id),
        settlements.map(({ message }) => message.deliveries),
        outcomes.map((outcome) => outcome.kind),
        outcomes.map((outcome) =>
          outcome.kind === 'retry' ? outcome.nextAttempt : outcome.kind === 'dead' ? outcome.attempts : 0,
        ),
        outcomes.map((outcome) => (outcome.kind === 'retry' ? outcome.delayMs : 0)),
        outcomes.map((outcome) => (outcome.kind === 'done' ? null : storableText(outcome.error))),
      ],
    });
    const applied = new Set(result.rows.map((row) => row.id));
    return settlements.map(({ message }) => applied.has(message.id));
  }

  /** Extends the leases of messages whose handlers still run, naming their owner again after a reconnect. */
  async renew(leased: ClaimedMessage[], leaseMs: number, owner: number | undefined): Promise<void> {
    if (leased.length === 0) return;
    await this.pools.asyncCommit.query({
      ...this.sql.renew,
      values: [
        leased.map((message) => message.id),
        leased.map((message) => message.deliveries),
        leaseMs,
        owner ?? null,
      ],
    });
  }

  /**
   * Makes the leases of buses that are gone claimable at once: each bus holds a session advisory lock on its
   * listener connection, which Postgres drops with the connection, e.g. when the process is killed.
   */
  async releaseOrphanedLeases(): Promise<number> {
    const result = await this.pools.asyncCommit.query({ ...this.sql.releaseOrphaned, values: [ownerLockClass] });
    return result.rowCount ?? 0;
  }

  async readDeadLetters(queue: string, boundQueue: string, limit: number): Promise<DeadLetter[]> {
    const result = await this.pools.asyncCommit.query<{ body: string; attempts: number; last_error: string }>({
      ...this.sql.readDeadLetters,
      values: [boundQueue, limit],
    });
    return result.rows.map((row) => deadLetterFrom(row.body, queue, row.attempts, row.last_error));
  }
}
