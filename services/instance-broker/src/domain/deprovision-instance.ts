import type { TerminateRequested } from '@overcast/contracts';
import type { DomainLogger } from './logger';
import { queueNotification, terminationText } from './notifications';
import type { BrokerStore } from './ports';
import type { ProviderDirectory } from './provider-directory';
import { announceStateChange } from './state-change';
import type { JobContext } from './worker-context';

export interface DeprovisionInstanceDeps {
  store: BrokerStore;
  providers: ProviderDirectory;
  logger: DomainLogger;
}

const consumer = 'instance-broker.instance.terminate-requested';

/**
 * Terminates the provider instance of a `terminating` row, then marks it terminated. The provider call is
 * idempotent (an instance already gone is success), so a redelivery is harmless. An instance an autoscaling group
 * launched is terminated through its group: its terminating hook runs (the instance hears `down` and drains, as
 * on a scale-in) and the group launches a replacement, as it would after pudding's plain TerminateInstances.
 */
export function createDeprovisionInstance(deps: DeprovisionInstanceDeps) {
  return async function deprovisionInstance(payload: TerminateRequested, job: JobContext): Promise<void> {
    const instance = await deps.store.instances.findById(payload.instanceId);
    if (!instance || instance.state !== 'terminating') return;
    const provider = deps.providers.find(instance.provider);
    // Thrown so the bus retries and finally parks it in the dead-letter queue, with this reason.
    if (!provider)
      throw new Error(`cannot terminate instance ${instance.id}: provider "${instance.provider}" is not enabled`);

    const member = await deps.store.autoscaling.findGroupInstance(instance.id);
    if (member && provider.autoscalingGroups) {
      // A group's instance carries no Overcast tag: it is ended through its group (see terminateGroupInstance).
      await provider.autoscalingGroups.terminateGroupInstance(member.upstreamInstanceId);
    } else {
      await provider.terminateInstance(instance.id);
    }

    await deps.store.transition(
      instance,
      { state: 'terminated' },
      async (outbox, terminated) => {
        await announceStateChange(outbox, 'terminating', terminated, job.message);
        await queueNotification(outbox, payload.slackChannel, terminationText(terminated), job.message);
      },
      { consumer, messageId: job.messageId },
    );
    deps.logger.info({ instanceId: instance.id, provider: instance.provider }, 'instance terminated');
  };
}
