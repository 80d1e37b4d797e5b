import { randomUUID } from 'node:crypto';
import {
  provisionInstanceBuildCommand,
  type CreateInstanceBuildRequest,
  type InstanceBuild,
  type MessageContext,
} from '@overcast/contracts';
import { takeInstanceQuota } from './instance-quota';
import type { BrokerStore } from './ports';
import { presentInstanceBuild } from './present';
import { requireInstanceType, requireProvider, type ProviderDirectory } from './provider-directory';
import { requireCatalogImage } from './require-catalog-image';

export interface CreateInstanceBuildDeps {
  store: BrokerStore;
  providers: ProviderDirectory;
  /** Provider of builds that name none (pudding only knew EC2). */
  defaultProvider: string;
}

/**
 * Records the build (pending) and queues its provisioning in one transaction, answering at once (202).
 * The image comes from the request (refused with 422 unless the catalog has it), else the catalog's active image for
 * the role now; failing both, the worker asks the provider for its newest image (a provider call never runs on the
 * request's path).
 * A build that boots takes room for its one instance in the tenant's instance quota (its `count` is the VM
 * concurrency given to the init script, not a number of instances), or is refused (quota_exceeded) before anything
 * is written; its instance is inserted against that room when it starts.
 */
export function createCreateInstanceBuild(deps: CreateInstanceBuildDeps) {
  return async function createInstanceBuild(
    request: CreateInstanceBuildRequest,
    context?: MessageContext,
  ): Promise<InstanceBuild> {
    const provider = request.provider ?? deps.defaultProvider;
    const compute = requireProvider(deps.providers, provider, 'body.instance_builds.provider');
    const instanceType = requireInstanceType(compute, request.instanceType, 'body.instance_builds.instance_type');
    const { image, tenantId } = request;
    if (image) await requireCatalogImage(deps.store, compute, { tenantId, image }, 'body.instance_builds.image');
    const catalogImage = image ? null : await deps.store.images.findActive(tenantId, provider, request.role);
    const build = await deps.store.transaction(async (tx) => {
      if (request.bootInstance) await takeInstanceQuota(tx.quotas, request.tenantId, 1);
      const inserted = await tx.builds.insert({
        id: randomUUID(),
        tenantId: request.tenantId,
        provider,
        site: request.site,
        env: request.env,
        role: request.role,
        queue: request.queue,
        instanceType,
        count: request.count,
        image: request.image ?? catalogImage?.imageId ?? null,
        slackChannel: request.slackChannel ?? null,
        subnetId: request.subnetId ?? null,
        securityGroupId: request.securityGroupId ?? null,
        bootInstance: request.bootInstance,
        state: 'pending',
        errorReason: null,
        gatewayUrl: request.gatewayUrl,
        initScript: null,
        secretSalt: null,
        secretHash: null,
        secretExpiresAt: null,
        userDataCiphertext: null,
      });
      await tx.outbox.command(
        provisionInstanceBuildCommand,
        { tenantId: inserted.tenantId, buildId: inserted.id },
        context,
      );
      return inserted;
    });
    return presentInstanceBuild(build, []);
  };
}
