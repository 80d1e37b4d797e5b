import {
  instanceStateChangedEvent,
  instanceTerminatedEvent,
  type InstanceState,
  type MessageContext,
} from '@overcast/contracts';
import type { OutboxWriter } from './ports';
import type { InstanceRecord } from './records';

/** Every state transition is announced (and a termination also as its own event), in the same transaction. */
export async function announceStateChange(
  outbox: OutboxWriter,
  from: InstanceState | null,
  instance: InstanceRecord,
  context?: MessageContext,
): Promise<void> {
  if (from === instance.state) return;
  await outbox.event(
    instanceStateChangedEvent,
    {
      id: instance.id,
      tenantId: instance.tenantId,
      provider: instance.provider,
      from,
      to: instance.state,
      ipAddress: instance.ipAddress,
      upstreamId: instance.upstreamId,
      errorReason: instance.errorReason,
      instanceBuildId: instance.instanceBuildId,
      image: instance.image,
    },
    context,
  );
  if (instance.state === 'terminated') {
    await outbox.event(
      instanceTerminatedEvent,
      {
        id: instance.id,
        tenantId: instance.tenantId,
        provider: instance.provider,
        upstreamId: instance.upstreamId,
        instanceBuildId: instance.instanceBuildId,
      },
      context,
    );
  }
}
