import {
  terminateRequestedCommand,
  type Instance,
  type MessageContext,
  type TerminateInstanceRequest,
} from '@overcast/contracts';
import { findInstanceByReference } from './instance-reference';
import type { BrokerStore } from './ports';
import { presentInstance } from './present';
import { announceStateChange } from './state-change';

/**
 * 202 semantics: the row moves to `terminating` and a job does the provider work. Idempotent: an instance
 * already terminating or terminated is answered as it is and nothing new is queued (cloud-brain silently
 * answered 204 and queued nothing, without saying so).
 */
export function createTerminateInstance(deps: { store: BrokerStore }) {
  return async function terminateInstance(
    request: TerminateInstanceRequest,
    context?: MessageContext,
  ): Promise<Instance> {
    // A concurrent transition (worker, refresh) makes the conditional update miss: read again and retry.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const instance = await findInstanceByReference(deps.store.instances, request.tenantId, request.id);
      if (instance.state === 'terminating' || instance.state === 'terminated') return presentInstance(instance);
      const terminating = await deps.store.transition(instance, { state: 'terminating' }, async (outbox, updated) => {
        await outbox.command(
          terminateRequestedCommand,
          { tenantId: updated.tenantId, instanceId: updated.id, slackChannel: request.slackChannel ?? null },
          context,
        );
        await announceStateChange(outbox, instance.state, updated, context);
      });
      if (terminating && terminating !== 'duplicate') return presentInstance(terminating);
    }
    throw new Error(`instance ${request.id} kept changing state while being terminated`);
  };
}
