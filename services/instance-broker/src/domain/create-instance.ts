import { createHash, randomUUID } from 'node:crypto';
import {
  AppError,
  provisionInstanceCommand,
  type CreateInstanceRequest,
  type Instance,
  type MessageContext,
} from '@overcast/contracts';
import { takeInstanceQuota } from './instance-quota';
import type { BrokerStore, BrokerTransaction, Clock, OutboxWriter } from './ports';
import { presentInstance } from './present';
import { requireProvider, type ProviderDirectory } from './provider-directory';
import type { InstanceRecord } from './records';
import { announceStateChange } from './state-change';

export interface CreateInstanceDeps {
  store: BrokerStore;
  providers: ProviderDirectory;
  clock: Clock;
  /** How long an Idempotency-Key answers the first result (the API promises 24 hours). */
  idempotencyTtlMs: number;
}

/** Another request with the same key committed first: roll back and answer its instance. */
class KeyTakenByConcurrentRequest extends Error {}

function blankToNull(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value;
}

function newInstance(request: CreateInstanceRequest): Omit<InstanceRecord, 'createdAt' | 'updatedAt'> {
  return {
    id: randomUUID(),
    tenantId: request.tenantId,
    provider: request.provider,
    image: request.image,
    instanceType: request.instanceType ?? 'standard',
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
  };
}

/** What makes two requests "the same" for an Idempotency-Key: the fields that shape the instance. */
function requestHashOf(instance: ReturnType<typeof newInstance>): string {
  const { provider, image, instanceType, publicSshKey, env, site, role, queue } = instance;
  const canonical = JSON.stringify([provider, image, instanceType, publicSshKey, env, site, role, queue]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** What a new instance's row goes out with: its provision command (the provider is called later) and its state. */
function announceCreation(created: InstanceRecord, context?: MessageContext) {
  return async (outbox: OutboxWriter): Promise<void> => {
    await outbox.command(provisionInstanceCommand, { tenantId: created.tenantId, instanceId: created.id }, context);
    await announceStateChange(outbox, null, created, context);
  };
}

/** The row (state creating) and its messages, inside a transaction that writes more (a build, a key). */
export async function insertCreatingInstance(
  tx: BrokerTransaction,
  instance: Omit<InstanceRecord, 'createdAt' | 'updatedAt'>,
  context?: MessageContext,
): Promise<InstanceRecord> {
  const created = await tx.instances.insert(instance);
  await announceCreation(created, context)(tx.outbox);
  return created;
}

export function createCreateInstance(deps: CreateInstanceDeps) {
  const expiry = () => new Date(deps.clock.now().getTime() - deps.idempotencyTtlMs);

  async function replay(tenantId: string, key: string, requestHash: string): Promise<Instance | null> {
    const previous = await deps.store.idempotencyKeys.find(tenantId, key);
    if (!previous || previous.createdAt < expiry()) return null;
    if (previous.requestHash !== requestHash) {
      throw new AppError('conflict', 'this Idempotency-Key was used with a different request', {
        details: [{ path: 'header.Idempotency-Key', message: 'already used with a different request body' }],
      });
    }
    const instance = await deps.store.instances.findById(previous.instanceId);
    return instance ? presentInstance(instance) : null;
  }

  return async function createInstance(request: CreateInstanceRequest, context?: MessageContext): Promise<Instance> {
    requireProvider(deps.providers, request.provider);
    const instance = newInstance(request);
    const key = request.idempotencyKey;
    if (key === undefined) {
      // The statement takes the instance quota itself (refused with quota_exceeded when the tenant has no room).
      const now = deps.clock.now();
      const created: InstanceRecord = { ...instance, createdAt: now, updatedAt: now };
      await deps.store.insertAnnounced(created, announceCreation(created, context));
      return presentInstance(created);
    }
    // With an Idempotency-Key: the first result answers every retry, and the key is claimed with the row.
    const requestHash = requestHashOf(instance);
    const replayed = await replay(request.tenantId, key, requestHash);
    if (replayed) return replayed;
    try {
      const created = await deps.store.transaction(async (tx) => {
        await tx.idempotencyKeys.deleteIfCreatedBefore(request.tenantId, key, expiry());
        await takeInstanceQuota(tx.quotas, request.tenantId, 1);
        const row = await insertCreatingInstance(tx, instance, context);
        if (!(await tx.idempotencyKeys.claim(request.tenantId, key, requestHash, row.id))) {
          throw new KeyTakenByConcurrentRequest();
        }
        return row;
      });
      return presentInstance(created);
    } catch (error) {
      if (!(error instanceof KeyTakenByConcurrentRequest)) throw error;
      const winner = await replay(request.tenantId, key, requestHash);
      if (!winner) throw new AppError('conflict', 'a concurrent request with this Idempotency-Key did not finish');
      return winner;
    }
  };
}
