import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelayMs } from '@overcast/pacing';
import { handleMessage } from '../core/handle-message';
import type { HandlingRuntime, MessageOutcome, MessageProcessor } from '../core/handle-message';
import type { ClaimSpec } from './claiming-consumer';
import type { ClaimedMessage, MessageStore, Settlement } from './message-store';
import type { PerTurnStatement } from './per-turn-statement';

export interface MessageClaimDeps {
  queue: string;
  processor: MessageProcessor;
  prefetch: number;
  store: MessageStore;
  /** Settles are batched per turn across every consumer of the bus. */
  settles: PerTurnStatement<Settlement, boolean>;
  /** The messages in hand, whose leases the bus renews while their handlers run. */
  leased: Set<ClaimedMessage>;
  leaseMs: number;
  leaseOwner(): number | undefined;
  /** False once the bus stops: a settle that keeps failing then gives up and lets the lease expire. */
  isRunning(): boolean;
  /** Claim again when a retry this consumer scheduled is due. */
  retryDueIn(delayMs: number): void;
  runtime: HandlingRuntime;
}

const settleBackoff = { baseDelayMs: 50, maxDelayMs: 2000 };

/**
 * Commands and events: the handler's outcome is settled in the database (delete, reschedule, or move to the dead
 * letters) before the slot frees. A settle that cannot reach the database is retried while the bus runs; if it
 * never lands the message comes back after its lease, marked redelivered: at least once, never lost.
 */
export function messageClaimSpec(deps: MessageClaimDeps): ClaimSpec<ClaimedMessage> {
  const { queue, processor, runtime } = deps;
  const { logger } = runtime;

  async function settle(message: ClaimedMessage, outcome: MessageOutcome): Promise<void> {
    for (let failures = 1; ; failures += 1) {
      try {
        const applied = await deps.settles.run({ message, outcome });
        // After a failed attempt the row may be gone because that attempt committed and only its answer was lost.
        if (!applied && failures === 1)
          logger.warn(
            { queue: processor.queue, messageRow: message.id },
            'lease lost before the settle; another consumer has the message',
          );
        if (!applied && failures > 1)
          logger.info(
            { queue: processor.queue, messageRow: message.id },
            'settle retried after a lost answer found the message settled or taken over',
          );
        return;
      } catch (error) {
        if (!deps.isRunning()) {
          logger.warn({ queue: processor.queue, err: error }, 'could not settle a message; it returns after its lease');
          return;
        }
        logger.debug({ queue: processor.queue, err: error }, 'settle failed; retrying');
        await sleep(backoffDelayMs(settleBackoff, failures));
      }
    }
  }

  async function process(message: ClaimedMessage): Promise<void> {
    deps.leased.add(message);
    try {
      const outcome = await handleMessage(
        { body: message.body, attempt: message.attempt, redelivered: message.deliveries > 1 },
        processor,
        runtime,
      );
      await settle(message, outcome);
      if (outcome.kind === 'retry') deps.retryDueIn(outcome.delayMs);
    } catch (error) {
      logger.error({ queue: processor.queue, err: error }, 'message not settled; it returns after its lease');
    } finally {
      deps.leased.delete(message);
    }
  }

  return {
    name: processor.queue,
    queue,
    prefetch: deps.prefetch,
    claim: (limit) => deps.store.claim(queue, limit, deps.leaseMs, deps.leaseOwner()),
    process,
  };
}
