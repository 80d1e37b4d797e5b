import { defineCatalog, instanceStateChangedEvent } from '@overcast/contracts';
import type { MessageHandlers } from '@overcast/messaging';
import type { createTrackOvercastInstance } from '../domain/track-overcast-instances';

/** The broker's facts the image inspector follows: instance state changes become power events. */
export const followedInstanceEvents = defineCatalog(instanceStateChangedEvent);

export function createEventHandlers(
  trackOvercastInstance: ReturnType<typeof createTrackOvercastInstance>,
): MessageHandlers<typeof followedInstanceEvents> {
  return {
    'instance.state_changed': (payload, { envelope }) => trackOvercastInstance(payload, envelope),
  };
}
