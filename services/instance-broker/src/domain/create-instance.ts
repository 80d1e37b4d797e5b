import { createHash, randomUUID } from 'node:crypto';
import {
  AppError,
  provisionInstanceCommand,
  type CreateInstanceRequest,
  type Instance,
  type MessageContext,
} from '@overcast/contracts';
import type { BrokerStore, Clock, IdempotencyClaim, OutboxWriter } from './ports';
import { presentInstance } from './present';
import { requireInstanceType, requireProvider, type ProviderDirectory } from './provider-directory';
import type { InstanceRecord } from './records';
import { requireCatalogImage } from './require-catalog-image';
import { announceStateChange } from './state-change';

export interface CreateInstanceDeps {
  store: BrokerStore;
  providers: ProviderDirectory;
  clock: Clock;
  /** How long an Idempotency-Key answers the first result (the API promises 24 hours). */
  idempotencyTtlMs: number;
}

function blankToNull(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value;
}

function newInstance(request: CreateInstanceRequest, instanceType: string, now: Date): InstanceRecord {
  return {
    id: randomUUID(),
    tenantId: request.tenantId,
    provider: request.provider,
    image: request.image,
    instanceType,
    publicSshKey: request.publicSshKey ?? null,
    state: 'creating',
    ipAddress: null,
    upstreamId: null,
    errorReason: null,
    env: blankToNull(request.env),
    site: blankToNull(request.site),
    role: blankToNull(request.role),
    queue: blankToNull(request.queue),
    instanceBuildId: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** What makes two requests "the same" for an Idempotency-Key: the fields that shape the instance. */
function requestHashOf(instance: InstanceRecord): string {
  const { provider, image, instanceType, publicSshKey, env, site, role, queue } = instance;
  const canonical = JSON.stringify([provider, image, instanceType, publicSshKey, env, site, role, queue]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** What a new instance's row goes out with: its provision command (the provider is called later) and its state. */
export function announceCreation(created: InstanceRecord, context?: MessageContext) {
  return async (outbox: OutboxWriter): Promise<void> => {
    await outbox.command(provisionInstanceCommand, { tenantId: created.tenantId, instanceId: created.id }, context);
    await announceStateChange(outbox, null, created, context);
  };
}

/**
 * One path with or without an Idempotency-Key (without one the claim is null): the row, its key and its
 * messages in one statement that takes the instance quota itself (refused with quota_exceeded when the tenant
 * has no room). With a key, the first result answers every retry: an unexpired key is answered before anything
 * is written, and a key a concurrent request claimed first makes this one answer that request's instance.
 */
export function createCreateInstance(deps: CreateInstanceDeps) {
  const expiry = () => new Date(deps.clock.now().getTime() - deps.idempotencyTtlMs);

  /** The instance an unexpired key answers; an expired key is freed to be claimed again. */
  async function replay(tenantId: string, claim: IdempotencyClaim): Promise<Instance | null> {
    const previous = await deps.store.idempotencyKeys.find(tenantId, claim.key);
    if (!previous) return null;
    if (previous.createdAt < expiry()) {
      await deps.store.idempotencyKeys.deleteIfCreatedBefore(tenantId, claim.key, expiry());
      return null;
    }
    if (previous.requestHash !== claim.requestHash) {
      throw new AppError('conflict', 'this Idempotency-Key was used with a different request', {
        details: [{ path: 'header.Idempotency-Key', message: 'already used with a different request body' }],
      });
    }
    const instance = await deps.store.instances.findById(previous.instanceId);
    return instance ? presentInstance(instance) : null;
  }

  return async function createInstance(request: CreateInstanceRequest, context?: MessageContext): Promise<Instance> {
    const provider = requireProvider(deps.providers, request.provider);
    const instanceType = requireInstanceType(provider, request.instanceType ?? 'standard', 'instance_type');
    await requireCatalogImage(deps.store, provider, request, 'image');
    const created = newInstance(request, instanceType, deps.clock.now());
    const key = request.idempotencyKey;
    const claim = key === undefined ? null : { key, requestHash: requestHashOf(created) };
    const replayed = claim && (await replay(request.tenantId, claim));
    if (replayed) return replayed;
    const outcome = await deps.store.createInstance(created, announceCreation(created, context), claim);
    if (outcome === 'created' || !claim) return presentInstance(created);
    const winner = await replay(request.tenantId, claim);
    if (!winner) throw new AppError('conflict', 'a concurrent request with this Idempotency-Key did not finish');
    return winner;
  };
}
