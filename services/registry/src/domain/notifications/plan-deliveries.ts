import { DeploymentEvent, type DeploymentConfig } from '@overcast/deployment-config';
import type { NewDelivery, PendingEvent } from './notification-ports';

type Notification = DeploymentConfig['notifications'][number];

/**
 * Which notifications hear of an event, and as which of Photon's events: Photon's seven go to each notification
 * whose `events` name them (all seven when it names none); `notification.requested` (Photon's `notify`) goes to
 * the notifications it lists, as the event it names. Placement changes and the notifier's own events are not sent.
 */
function recipients(event: PendingEvent, config: DeploymentConfig): { sent: DeploymentEvent; to: Notification[] } {
  const photon = DeploymentEvent.safeParse(event.type);
  if (photon.success) {
    return { sent: photon.data, to: config.notifications.filter((n) => n.events.includes(photon.data)) };
  }
  const requested = DeploymentEvent.safeParse(event.data.event);
  const names = event.data.notifications;
  if (event.type !== 'notification.requested' || !requested.success || !Array.isArray(names)) {
    return { sent: 'deploy.begin', to: [] };
  }
  return { sent: requested.data, to: config.notifications.filter((n) => names.includes(n.name)) };
}

function targetOf(notification: Notification, accountEmail: string | null): string | null {
  if (notification.type === 'webhook') return notification.url ?? null;
  return notification.email ?? accountEmail;
}

/** The deliveries each pending event asks for; ids are the webhook-ids receivers deduplicate on. */
export function planDeliveries(events: PendingEvent[], newId: () => string): NewDelivery[] {
  return events.flatMap((event) => {
    if (!event.config) return [];
    const { sent, to } = recipients(event, event.config);
    return to.map((notification) => ({
      id: newId(),
      eventSeq: event.seq,
      deploymentId: event.deploymentId,
      tenantId: event.tenantId,
      notification: notification.name,
      channel: notification.type,
      target: targetOf(notification, event.accountEmail),
      event: sent,
      payload: {
        type: sent,
        timestamp: event.createdAt.toISOString(),
        data: {
          deployment_id: event.deploymentId,
          seq: event.seq,
          notification: notification.name,
          details: event.data,
        },
      },
    }));
  });
}
