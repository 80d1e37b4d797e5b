import type { InstanceStateChanged, InstanceState } from '@overcast/contracts';
import type { UsageStore } from './ports';

/** Which broker transitions are power events: running is on; leaving running (or dying) is off. */
export function powerEventOfTransition(from: InstanceState | null, to: InstanceState): 'power_on' | 'power_off' | null {
  if (to === 'running') return from === 'running' ? null : 'power_on';
  if (from === 'running' && (to === 'terminating' || to === 'terminated' || to === 'errored')) return 'power_off';
  return null;
}

/**
 * Instances Overcast's own broker runs are tracked with no registration: each state change becomes a power event
 * under the tenant's `overcast` account for the instance's provider; the message id makes a redelivery a no-op.
 */
export function createTrackOvercastInstance({ store }: { store: UsageStore }) {
  return async (change: InstanceStateChanged, message: { id: string; occurredAt: string }): Promise<void> => {
    const eventType = powerEventOfTransition(change.from, change.to);
    if (!eventType) return;
    await store.recordOvercastPowerChange({
      tenantId: change.tenantId,
      provider: change.provider,
      instanceId: change.id,
      eventType,
      occurredAt: new Date(message.occurredAt),
      sourceEventId: message.id,
      cloudImageId: change.image ?? null,
    });
  };
}
