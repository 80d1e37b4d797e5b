import type { CreateInstanceInput } from '@overcast/providers';
import type { ProvisionInstance } from '@overcast/contracts';
import type { ConvergenceFollowUp } from './follow-up-convergence';
import type { DomainLogger } from './logger';
import type { BrokerStore } from './ports';
import type { ProviderDirectory } from './provider-directory';
import { describeFailure, isPermanentProviderFailure } from './provider-failure';
import type { InstanceRecord } from './records';
import { userDataContext, type SecretBox } from './secret-box';
import { announceStateChange } from './state-change';
import { isLastAttempt, type CrashPoints, type JobContext } from './worker-context';

export interface ProvisionInstanceDeps {
  store: BrokerStore;
  providers: ProviderDirectory;
  secretBox: SecretBox;
  logger: DomainLogger;
  crashPoints: CrashPoints;
  /** Looks again soon at an instance the provider answered `starting`, before the next refresh sweep. */
  followUp?: ConvergenceFollowUp;
}

const consumer = 'instance-broker.instance.provision';

/**
 * Creates the provider instance of a `creating` row. Safe to run any number of times: the Overcast id is the
 * provider's idempotency token, so a retry after a crash (before or after the provider call, before or
 * after the database write) adopts the instance the earlier try made instead of making a second one.
 */
export function createProvisionInstance(deps: ProvisionInstanceDeps) {
  const { store, logger } = deps;

  async function providerInput(instance: InstanceRecord): Promise<CreateInstanceInput> {
    const input: CreateInstanceInput = { id: instance.id, image: instance.image, instanceType: instance.instanceType };
    if (instance.publicSshKey) input.sshPublicKey = instance.publicSshKey;
    const tags: Record<string, string> = {};
    for (const key of ['env', 'site', 'role', 'queue'] as const) {
      const value = instance[key];
      if (value) tags[key] = value;
    }
    if (instance.instanceBuildId) {
      tags['instance-build-id'] = instance.instanceBuildId;
      const build = await store.builds.findById(instance.instanceBuildId);
      if (build?.userDataCiphertext)
        input.userData = deps.secretBox.open(build.userDataCiphertext, userDataContext(build.id));
      if (build?.securityGroupId) input.securityGroupId = build.securityGroupId;
      if (build?.subnetId) input.subnetId = build.subnetId;
    }
    input.tags = tags;
    return input;
  }

  async function markErrored(instance: InstanceRecord, reason: string, job: JobContext): Promise<void> {
    await store.transition(instance, { state: 'errored', errorReason: reason }, (outbox, errored) =>
      announceStateChange(outbox, 'creating', errored, job.message),
    );
    logger.warn({ instanceId: instance.id, provider: instance.provider, reason }, 'instance creation failed for good');
  }

  return async function provisionInstance(payload: ProvisionInstance, job: JobContext): Promise<void> {
    const instance = await store.instances.findById(payload.instanceId);
    // Already provisioned, or terminated before we got here: terminate-requested handles the provider side.
    if (!instance || instance.state !== 'creating') return;
    const provider = deps.providers.find(instance.provider);
    if (!provider) return markErrored(instance, `provider "${instance.provider}" is not enabled`, job);

    await deps.crashPoints('before-provider-call', instance.id);
    let created;
    try {
      created = await provider.createInstance(await providerInput(instance));
    } catch (error) {
      if (isPermanentProviderFailure(error) || isLastAttempt(job))
        return markErrored(instance, describeFailure(error), job);
      throw error; // the bus retries with backoff
    }
    await deps.crashPoints('after-provider-call', instance.id);

    const changes = { state: created.state, upstreamId: created.upstreamId, ipAddress: created.ipAddress };
    const next = await store.transition(
      instance,
      changes,
      (outbox, updated) => announceStateChange(outbox, 'creating', updated, job.message),
      {
        consumer,
        messageId: job.messageId,
      },
    );
    const outcome = next === 'duplicate' ? next : next ? ('updated' as const) : ('moved-on' as const);
    await deps.crashPoints('after-database-write', instance.id);
    if (outcome === 'updated' && created.state === 'starting') deps.followUp?.schedule(instance.id);

    if (outcome !== 'moved-on') return;
    // Terminated while the provider was creating it: the termination may have found nothing to stop.
    const current = await store.instances.findById(instance.id);
    if (current && (current.state === 'terminating' || current.state === 'terminated')) {
      await provider.terminateInstance(instance.id);
      logger.info({ instanceId: instance.id }, 'terminated an instance whose termination overtook its creation');
    }
  };
}
