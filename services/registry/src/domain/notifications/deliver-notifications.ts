import { randomUUID } from 'node:crypto';
import { backoffDelayMs, type BackoffPolicy } from '@overcast/pacing';
import type { Clock } from '../ports';
import type { Delivery, DeliveryChannel, NotificationSender, NotificationStore } from './notification-ports';
import { planDeliveries } from './plan-deliveries';

const fanOutBatch = 100;

export interface NotifierSettings {
  /** Tries before a delivery is dead (kept with its last error, and `notification.failed` in the events). */
  maxAttempts: number;
  retry: BackoffPolicy;
  /** Deliveries sent at once per pass; a slow receiver holds one slot until its timeout. */
  batchSize: number;
}

export interface NotifierDeps {
  store: NotificationStore;
  senders: Record<DeliveryChannel, NotificationSender>;
  clock: Clock;
  settings: NotifierSettings;
  newId?: () => string;
}

/**
 * The notifier's pass: the deployment events not yet fanned out become deliveries (the event table is the outbox:
 * an event and the fact that its deliveries exist commit together), then every due delivery is tried once.
 * At least once: a crash between a send and its record sends again with the same webhook-id.
 */
export function createNotifier(deps: NotifierDeps) {
  const { store, senders, clock, settings } = deps;
  const newId = deps.newId ?? randomUUID;

  async function attempt(delivery: Delivery): Promise<void> {
    const attempts = delivery.attempts + 1;
    const result = await senders[delivery.channel]
      .send(delivery)
      .catch((error: unknown) => ({ ok: false as const, permanent: false, error: String(error) }));
    const now = clock.now();
    if (result.ok) return store.markDelivered(delivery.id, attempts, now);
    if (result.permanent || attempts >= settings.maxAttempts) {
      return store.markDead(delivery, attempts, result.error, now);
    }
    const retryAt = new Date(now.getTime() + backoffDelayMs(settings.retry, attempts));
    return store.markRetry(delivery.id, attempts, result.error, retryAt, now);
  }

  return {
    /** One pass; answers how many deliveries were written and tried. */
    async run(): Promise<{ planned: number; tried: number }> {
      let planned = 0;
      for (;;) {
        const { events, deliveries } = await store.fanOut(fanOutBatch, clock.now(), (pending) =>
          planDeliveries(pending, newId),
        );
        planned += deliveries;
        if (events < fanOutBatch) break;
      }
      const due = await store.dueDeliveries(clock.now(), settings.batchSize);
      await Promise.all(due.map(attempt));
      return { planned, tried: due.length };
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
