import type { DeploymentConfig } from '@overcast/deployment-config';

/** What a receiver gets, per the Standard Webhooks payload shape; an email carries the same facts. */
export interface NotificationPayload {
  type: string;
  timestamp: string;
  data: { deployment_id: string; seq: number; notification: string; details: Record<string, unknown> };
}

/** A deployment event not yet fanned out, with what deciding its deliveries needs. */
export interface PendingEvent {
  seq: number;
  deploymentId: string;
  tenantId: string;
  type: string;
  data: Record<string, unknown>;
  createdAt: Date;
  /** The deployment's file as it is now; null once the deployment is deleted (nothing is sent then). */
  config: DeploymentConfig | null;
  /** The tenant's first registry account's address: where an email notification naming none goes. */
  accountEmail: string | null;
}

export type DeliveryChannel = 'webhook' | 'email';

export interface NewDelivery {
  id: string;
  eventSeq: number;
  deploymentId: string;
  tenantId: string;
  notification: string;
  channel: DeliveryChannel;
  target: string | null;
  event: string;
  payload: NotificationPayload;
}

export interface Delivery extends NewDelivery {
  attempts: number;
}

export interface NotificationStore {
  /**
   * In one transaction: up to `limit` pending events, the deliveries `plan` makes of them written (due at `now`),
   * the events marked fanned out.
   */
  fanOut(
    limit: number,
    now: Date,
    plan: (events: PendingEvent[]) => NewDelivery[],
  ): Promise<{ events: number; deliveries: number }>;
  /** Pending deliveries whose next attempt is due, oldest first. */
  dueDeliveries(now: Date, limit: number): Promise<Delivery[]>;
  markDelivered(id: string, attempts: number, now: Date): Promise<void>;
  /** Another try at `retryAt`. */
  markRetry(id: string, attempts: number, error: string, retryAt: Date, now: Date): Promise<void>;
  /** Given up: kept as dead with its error, and `notification.failed` added to the deployment's events. */
  markDead(delivery: Delivery, attempts: number, error: string, now: Date): Promise<void>;
}

/** A failure a retry cannot fix (the host is not allowed, no address given) ends the delivery at once. */
export type SendResult = { ok: true } | { ok: false; error: string; permanent: boolean };

export interface NotificationSender {
  send(delivery: Delivery): Promise<SendResult>;
}
