import type {
  CommandDefinition,
  EventDefinition,
  InstanceState,
  ListInstancesRequest,
  MessageContext,
  PayloadOf,
} from '@overcast/contracts';
import type { AutoscalingRepository } from './autoscaling-records';
import type { ImageRecord, InstanceBuildRecord, InstanceRecord } from './records';

/** The fields of an instance a use case may change; `updatedAt` is set by the repository. */
export type InstanceChanges = Partial<Pick<InstanceRecord, 'state' | 'ipAddress' | 'upstreamId' | 'errorReason'>>;

/** The exact-match filters of a listing, as the list request declares them; `live` leaves terminated rows out. */
export type InstanceFilters = Pick<ListInstancesRequest, 'env' | 'site' | 'role' | 'queue' | 'provider' | 'state'> & {
  live?: boolean;
};

export interface InstancePosition {
  createdAt: Date;
  id: string;
}

/** Reads of instances; they are written only through `BrokerStore.createInstance`, `transition` and, with an instance build, `BrokerTransaction.instances`. */
export interface InstanceRepository {
  findById(id: string): Promise<InstanceRecord | null>;
  findForTenant(tenantId: string, id: string): Promise<InstanceRecord | null>;
  /** Newest first, strictly after `after` when given. */
  list(
    tenantId: string,
    filters: InstanceFilters,
    limit: number,
    after: InstancePosition | null,
  ): Promise<InstanceRecord[]>;
  /**
   * One provider's rows in the given states (refresh is scoped per provider), except the instances autoscaling
   * groups launched: the provider lists those by their group, not by an Overcast tag (domain/sync-autoscaling-groups.ts).
   */
  listByProvider(provider: string, states: readonly InstanceState[]): Promise<InstanceRecord[]>;
  findByIds(ids: readonly string[]): Promise<InstanceRecord[]>;
  /** The tenant's instances whose provider id is `upstreamId`, or whose uuid starts with `idPrefix` (8 hex digits). */
  findByProviderReference(tenantId: string, upstreamId: string, idPrefix: string | null): Promise<InstanceRecord[]>;
  listByBuild(buildId: string): Promise<InstanceRecord[]>;
  /**
   * Whether an autoscaling group was made from one of the build's instances (an adopted one's too: it carries the
   * build), or is being made (its build pending: the group may be up before its step is recorded). The broker
   * records no group deleted (its sync takes a gone group for an empty one), so a group once made counts for good;
   * one whose build failed before making it never counts.
   */
  madeAutoscalingGroup(buildId: string): Promise<boolean>;
}

/** New instances inside a transaction that writes more with them (an instance build's start). */
export interface InstanceInserts {
  insert(instances: readonly InstanceRecord[]): Promise<void>;
}

export type InstanceBuildChanges = Partial<
  Pick<
    InstanceBuildRecord,
    | 'state'
    | 'errorReason'
    | 'image'
    | 'securityGroupId'
    | 'initScript'
    | 'secretSalt'
    | 'secretHash'
    | 'secretExpiresAt'
    | 'userDataCiphertext'
  >
>;

export interface InstanceBuildRepository {
  insert(build: Omit<InstanceBuildRecord, 'createdAt' | 'updatedAt'>): Promise<InstanceBuildRecord>;
  findById(id: string): Promise<InstanceBuildRecord | null>;
  findForTenant(tenantId: string, id: string): Promise<InstanceBuildRecord | null>;
  update(id: string, changes: InstanceBuildChanges): Promise<InstanceBuildRecord>;
  updateIfState(
    id: string,
    expectedState: InstanceBuildRecord['state'],
    changes: InstanceBuildChanges,
  ): Promise<InstanceBuildRecord | null>;
}

export interface ImageFilters {
  active?: boolean;
  role?: string;
  provider?: string;
}

export interface ImageRepository {
  insert(image: Omit<ImageRecord, 'createdAt'>): Promise<ImageRecord>;
  findForTenant(tenantId: string, id: string): Promise<ImageRecord | null>;
  findByProviderImage(tenantId: string, provider: string, imageId: string): Promise<ImageRecord | null>;
  /** Newest first. */
  list(tenantId: string, filters: ImageFilters): Promise<ImageRecord[]>;
  findActive(tenantId: string, provider: string, role: string): Promise<ImageRecord | null>;
  /** Deactivates the other images of the same tenant, provider and role, then activates this one. */
  activate(image: ImageRecord): Promise<ImageRecord>;
}

export interface IdempotencyRecord {
  requestHash: string;
  instanceId: string;
  createdAt: Date;
}

/** An Idempotency-Key to claim with the instance it creates (`BrokerStore.createInstance`). */
export interface IdempotencyClaim {
  key: string;
  /** What makes two requests "the same" for the key. */
  requestHash: string;
}

export interface IdempotencyKeyRepository {
  find(tenantId: string, key: string): Promise<IdempotencyRecord | null>;
  /** Frees an expired key so it can be claimed again. */
  deleteIfCreatedBefore(tenantId: string, key: string, cutoff: Date): Promise<void>;
  deleteCreatedBefore(cutoff: Date): Promise<number>;
}

/** A per-tenant limit on live resources, and how much of it is in use (wire name: `instances`). */
export interface QuotaUsage {
  name: 'instances';
  limit: number;
  used: number;
}

export interface QuotaRepository {
  /**
   * The tenant's instance quota (its own limit, else the configured default) and what is in use: instances that
   * may exist at a provider plus one per pending build that boots. Inside a transaction it also
   * locks the tenant's quota until the transaction ends, so what the transaction inserts next is counted by
   * every writer that measures after it: two concurrent creates never both fit under the limit.
   */
  measureInstanceQuota(tenantId: string): Promise<QuotaUsage>;
  /** Sets the tenant's own limit, or with null returns it to the configured default. */
  setInstanceLimit(tenantId: string, limit: number | null): Promise<void>;
}

/** Messages written in the same transaction as the state change; the relay publishes them after commit. */
export interface OutboxWriter {
  command<D extends CommandDefinition>(definition: D, payload: PayloadOf<D>, context?: MessageContext): Promise<void>;
  event<D extends EventDefinition>(definition: D, payload: PayloadOf<D>, context?: MessageContext): Promise<void>;
}

/** A message a consumer handled: recorded so a redelivery is recognised. */
export interface InboxEntry {
  consumer: string;
  messageId: string;
}

export interface Inbox {
  /** Records `messageId` for `consumer`; false when it was recorded before (a redelivery). */
  markProcessed(consumer: string, messageId: string): Promise<boolean>;
}

export interface BrokerTransaction {
  instances: InstanceInserts;
  builds: InstanceBuildRepository;
  images: ImageRepository;
  quotas: QuotaRepository;
  autoscaling: AutoscalingRepository;
  outbox: OutboxWriter;
  inbox: Inbox;
}

/** Repositories outside a transaction (reads), and the way to open one. */
export interface BrokerStore extends Omit<BrokerTransaction, 'outbox' | 'inbox' | 'instances'> {
  instances: InstanceRepository;
  idempotencyKeys: IdempotencyKeyRepository;
  transaction<T>(work: (tx: BrokerTransaction) => Promise<T>): Promise<T>;
  /**
   * Inserts a new instance, its Idempotency-Key when given, and the messages `announce` writes about it,
   * atomically, as one statement shared by every create of the same event-loop turn: the busiest write there
   * is, and a transaction each cost more than the work. The statement takes the instance quota as
   * `measureInstanceQuota` does: an instance its tenant has no room for is not inserted
   * (`instanceQuotaExceeded`). 'key-taken' when another request holds the key: nothing was written.
   */
  createInstance(
    instance: InstanceRecord,
    announce: (outbox: OutboxWriter) => Promise<void>,
    claim: IdempotencyClaim | null,
  ): Promise<'created' | 'key-taken'>;
  /**
   * Applies `changes` to `instance` (as read) if its row is still in the state read, with what `announce` writes
   * about the new row, and, given `inbox`, only the first time that message is handled: one statement, where a
   * transaction cost six round trips. The new row; null when the row had moved on; 'duplicate' when the inbox
   * had the message already.
   */
  transition(
    instance: InstanceRecord,
    changes: InstanceChanges,
    announce: (outbox: OutboxWriter, updated: InstanceRecord) => Promise<void>,
    inbox?: InboxEntry,
  ): Promise<InstanceRecord | null | 'duplicate'>;
  /** Database answers (readiness). */
  ping(): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
