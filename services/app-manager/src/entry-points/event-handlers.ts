import { defineCatalog, instanceStateChangedEvent, instanceTerminatedEvent } from '@overcast/contracts';
import type { MessageHandlers } from '@overcast/messaging';
import type { DistrictUseCases } from '../domain/district-use-cases';

/** The instance broker's facts the app manager follows: the state of the container instances districts launched. */
export const followedInstanceEvents = defineCatalog(instanceStateChangedEvent, instanceTerminatedEvent);

export function createEventHandlers(districts: DistrictUseCases): MessageHandlers<typeof followedInstanceEvents> {
  return {
    'instance.state_changed': ({ tenantId, id, to, ipAddress }) =>
      districts.followInstance({ tenantId, id, state: to, ipAddress }),
    'instance.terminated': ({ tenantId, id }) =>
      districts.followInstance({ tenantId, id, state: 'terminated', ipAddress: null }),
  };
}
