import { randomUUID } from 'node:crypto';
import { instanceBuildStartedEvent, type ProvisionInstanceBuild } from '@overcast/contracts';
import type { ComputeProvider } from '@overcast/providers';
import { generateBuildSecret } from './build-secret';
import { announceCreation } from './create-instance';
import { InstanceYmlError, renderInitScript, userDataFor, type InitScriptTemplate } from './init-script';
import type { DomainLogger } from './logger';
import { buildFailedText, buildStartedText, queueNotification } from './notifications';
import type { BrokerStore, Clock } from './ports';
import type { ProviderDirectory } from './provider-directory';
import { describeFailure, isPermanentProviderFailure } from './provider-failure';
import type { InstanceBuildRecord, InstanceRecord } from './records';
import { userDataContext, type SecretBox } from './secret-box';
import { isLastAttempt, type JobContext } from './worker-context';

export interface ProvisionInstanceBuildDeps {
  store: BrokerStore;
  providers: ProviderDirectory;
  secretBox: SecretBox;
  clock: Clock;
  logger: DomainLogger;
  initScriptTemplate: InitScriptTemplate;
  /** How long the per-build secret opens the init script (covers the instances' create retries). */
  initScriptTtlMs: number;
  /** Name of the security group opening TCP 22 that builds without one share (idempotent on name). */
  sshSecurityGroupName: string;
}

const consumer = 'instance-broker.instance-build.provision';

class NoImage extends Error {}

/** pudding's instance-builds job: image, security group, init script, then its one instance and a notice. */
export function createProvisionInstanceBuild(deps: ProvisionInstanceBuildDeps) {
  const { store } = deps;

  async function resolveImage(build: InstanceBuildRecord, provider: ComputeProvider): Promise<string> {
    if (build.image) return build.image;
    const active = await store.images.findActive(build.tenantId, build.provider, build.role);
    if (active) return active.imageId;
    const newest = await provider.findNewestImage(build.role);
    if (newest) return newest.id;
    throw new NoImage(`no active image for provider ${build.provider} and role ${build.role}`);
  }

  async function fail(build: InstanceBuildRecord, reason: string, job: JobContext): Promise<void> {
    await store.transaction(async (tx) => {
      if (!(await tx.builds.updateIfState(build.id, 'pending', { state: 'errored', errorReason: reason }))) return;
      await queueNotification(tx.outbox, build.slackChannel, buildFailedText(build, reason), job.message);
    });
    deps.logger.warn({ buildId: build.id, reason }, 'instance build failed');
  }

  async function prepare(build: InstanceBuildRecord, provider: ComputeProvider) {
    const image = await resolveImage(build, provider);
    const securityGroupId =
      build.securityGroupId ??
      (build.bootInstance ? await provider.ensureSshSecurityGroup(deps.sshSecurityGroupName) : null);
    const secret = generateBuildSecret();
    return {
      image,
      securityGroupId,
      initScript: renderInitScript(deps.initScriptTemplate, build, image),
      secretSalt: secret.salt,
      secretHash: secret.hash,
      secretExpiresAt: new Date(deps.clock.now().getTime() + deps.initScriptTtlMs),
      userDataCiphertext: deps.secretBox.seal(userDataFor(build, secret.secret), userDataContext(build.id)),
    };
  }

  async function startInstances(
    build: InstanceBuildRecord,
    prepared: Awaited<ReturnType<typeof prepare>>,
    job: JobContext,
  ) {
    await store.transaction(async (tx) => {
      if (!(await tx.inbox.markProcessed(consumer, job.messageId))) return;
      const started = await tx.builds.updateIfState(build.id, 'pending', { ...prepared, state: 'started' });
      if (!started || !build.bootInstance) return;
      const now = deps.clock.now();
      // One instance, as pudding's worker ran (RunInstances of 1): `count` is the VM concurrency its script receives.
      const instances: InstanceRecord[] = Array.from({ length: 1 }, () => ({
        id: randomUUID(),
        tenantId: build.tenantId,
        provider: build.provider,
        image: prepared.image,
        instanceType: build.instanceType,
        publicSshKey: null,
        state: 'creating',
        ipAddress: null,
        upstreamId: null,
        errorReason: null,
        env: build.env,
        site: build.site,
        role: build.role,
        queue: build.queue,
        instanceBuildId: build.id,
        createdAt: now,
        updatedAt: now,
      }));
      await tx.instances.insert(instances);
      for (const instance of instances) await announceCreation(instance, job.message)(tx.outbox);
      const instanceIds = instances.map((instance) => instance.id);
      const { id, tenantId, provider, site, env, role, queue } = started;
      await tx.outbox.event(
        instanceBuildStartedEvent,
        { id, tenantId, provider, site, env, role, queue, image: prepared.image, instanceIds },
        job.message,
      );
      await queueNotification(tx.outbox, build.slackChannel, buildStartedText(started, instanceIds), job.message);
    });
  }

  return async function provisionInstanceBuild(payload: ProvisionInstanceBuild, job: JobContext): Promise<void> {
    const build = await store.builds.findById(payload.buildId);
    if (!build || build.state !== 'pending') return;
    const provider = deps.providers.find(build.provider);
    if (!provider) return fail(build, `provider "${build.provider}" is not enabled`, job);
    let prepared;
    try {
      prepared = await prepare(build, provider);
    } catch (error) {
      // No image, a meta yml without the build's site or env, a provider's refusal: retrying changes nothing.
      const permanent =
        error instanceof NoImage || error instanceof InstanceYmlError || isPermanentProviderFailure(error);
      if (permanent || isLastAttempt(job)) return fail(build, describeFailure(error), job);
      throw error;
    }
    await startInstances(build, prepared, job);
  };
}
