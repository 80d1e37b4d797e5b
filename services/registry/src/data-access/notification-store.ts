import type { Database } from '@overcast/db';
import type { DeploymentConfig } from '@overcast/deployment-config';
import type {
  Delivery,
  DeliveryChannel,
  NotificationPayload,
  NotificationStore,
} from '../domain/notifications/notification-ports';
import type { Prisma } from '../generated/prisma/client';
import { createRegistryPrisma } from './prisma-client';

type DeliveryRow = Awaited<
  ReturnType<ReturnType<typeof createRegistryPrisma>['notificationDelivery']['findFirstOrThrow']>
>;

function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    eventSeq: Number(row.eventSeq),
    deploymentId: row.deploymentId,
    tenantId: row.tenantId,
    notification: row.notification,
    channel: row.channel as DeliveryChannel,
    target: row.target,
    event: row.event,
    // Written by this store from a NotificationPayload only.
    payload: row.payload as unknown as NotificationPayload,
    attempts: row.attempts,
  };
}

/** The notifier's tables: deployment events not yet fanned out, and the deliveries (its outbox). */
export function createNotificationStore(database: Database): NotificationStore & { close(): Promise<void> } {
  const prisma = createRegistryPrisma(database);
  return {
    fanOut: (limit, now, plan) =>
      prisma.$transaction(async (tx) => {
        const events = await tx.deploymentEvent.findMany({
          where: { fannedOut: false },
          orderBy: { seq: 'asc' },
          take: limit,
        });
        if (events.length === 0) return { events: 0, deliveries: 0 };
        const deploymentIds = [...new Set(events.map((event) => event.deploymentId))];
        const tenantIds = [...new Set(events.map((event) => event.tenantId))];
        const deployments = await tx.deployment.findMany({
          where: { id: { in: deploymentIds } },
          select: { id: true, config: true },
        });
        const accounts = await tx.account.findMany({
          where: { tenantId: { in: tenantIds } },
          orderBy: { createdAt: 'asc' },
          select: { tenantId: true, email: true },
        });
        const configs = new Map(deployments.map((d) => [d.id, d.config as unknown as DeploymentConfig]));
        const deliveries = plan(
          events.map((event) => ({
            seq: Number(event.seq),
            deploymentId: event.deploymentId,
            tenantId: event.tenantId,
            type: event.type,
            data: event.data as Record<string, unknown>,
            createdAt: event.createdAt,
            config: configs.get(event.deploymentId) ?? null,
            accountEmail: accounts.find((account) => account.tenantId === event.tenantId)?.email ?? null,
          })),
        );
        await tx.notificationDelivery.createMany({
          data: deliveries.map((delivery) => ({
            ...delivery,
            eventSeq: BigInt(delivery.eventSeq),
            payload: delivery.payload as unknown as Prisma.InputJsonObject,
            state: 'pending',
            nextAttemptAt: now,
          })),
          // A pass that ran before a crash wrote these already (event seq and notification are unique).
          skipDuplicates: true,
        });
        await tx.deploymentEvent.updateMany({
          where: { seq: { in: events.map((event) => event.seq) } },
          data: { fannedOut: true },
        });
        return { events: events.length, deliveries: deliveries.length };
      }),

    async dueDeliveries(now, limit) {
      const rows = await prisma.notificationDelivery.findMany({
        where: { state: 'pending', nextAttemptAt: { lte: now } },
        orderBy: { nextAttemptAt: 'asc' },
        take: limit,
      });
      return rows.map(toDelivery);
    },

    async markDelivered(id, attempts, now) {
      await prisma.notificationDelivery.update({
        where: { id },
        data: { state: 'delivered', attempts, updatedAt: now },
      });
    },

    async markRetry(id, attempts, error, retryAt, now) {
      await prisma.notificationDelivery.update({
        where: { id },
        data: { attempts, lastError: error.slice(0, 1000), nextAttemptAt: retryAt, updatedAt: now },
      });
    },

    async markDead(delivery, attempts, error, now) {
      await prisma.$transaction([
        prisma.notificationDelivery.update({
          where: { id: delivery.id },
          data: { state: 'dead', attempts, lastError: error.slice(0, 1000), updatedAt: now },
        }),
        prisma.deploymentEvent.create({
          data: {
            deploymentId: delivery.deploymentId,
            tenantId: delivery.tenantId,
            type: 'notification.failed',
            data: { notification: delivery.notification, event: delivery.event, attempts, error: error.slice(0, 1000) },
            createdAt: now,
          },
        }),
      ]);
    },

    close: () => prisma.$disconnect(),
  };
}
