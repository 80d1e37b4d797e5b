import type {
  ActivityLogIngestion,
  CloudAccount,
  MachineImage,
  PowerEvent,
  TrackedInstance,
} from '@overcast/contracts';
import type { RelevantRecord } from './activity-records';
import type { DiscoveredImage, DiscoveredInstance } from './aws-account-access';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export interface OffsetPage {
  limit: number;
  offset: number;
}
export interface Page<T> {
  count: number;
  results: T[];
}

export interface NewCloudAccount {
  tenantId: string;
  type: 'aws' | 'local';
  name: string | null;
  awsAccountId: string | null;
  accountArn: string | null;
}

/** Why an account could not be stored: each unique rule cloudigrade words its own way. */
export class AccountConflict extends Error {
  constructor(readonly rule: 'name' | 'arn') {
    super(`an account with this ${rule} exists`);
  }
}

/** One instance's state change reported by Overcast's own instance broker. */
export interface OvercastPowerChange {
  tenantId: string;
  provider: string;
  instanceId: string;
  eventType: 'power_on' | 'power_off';
  occurredAt: Date;
  /** The bus message it came from: a redelivery adds nothing. */
  sourceEventId: string;
  /** The provider's image it boots, recorded as a machine image of the tenant (made pending when new). */
  cloudImageId: string | null;
}

export interface ReportWindow {
  tenantId: string;
  accountIds: number[];
  start: Date;
  end: Date;
}

export interface DailyUsageRow {
  day: number;
  rhelInstances: number;
  openshiftInstances: number;
  rhelRuntimeSeconds: number;
  openshiftRuntimeSeconds: number;
}

export interface AccountCounts {
  accountId: number;
  images: number;
  instances: number;
  rhelInstances: number;
  openshiftInstances: number;
}

export interface ImageUsage {
  image: MachineImage;
  instancesSeen: number;
  runtimeSeconds: number;
}

/** What storing a file's records added. */
export type StoredActivity = Pick<ActivityLogIngestion, 'eventsAdded' | 'instancesAdded' | 'imagesAdded'>;

/** Tables of the image inspector, always scoped by tenant; data-access implements it. */
export interface UsageStore {
  ping(): Promise<void>;
  close(): Promise<void>;

  insertAccount(account: NewCloudAccount): Promise<CloudAccount>;
  listAccounts(tenantId: string, page: OffsetPage): Promise<Page<CloudAccount>>;
  findAccount(tenantId: string, id: number): Promise<CloudAccount | null>;
  /** Every tenant's: an AWS account is registered once (cloudigrade's unique ARN), its logs name no tenant. */
  findAccountsByAwsAccountId(awsAccountId: string): Promise<(CloudAccount & { tenantId: string })[]>;
  renameAccount(tenantId: string, id: number, name: string | null): Promise<CloudAccount | null>;
  /** Accounts of the tenant, optionally one, optionally those whose name contains any of `words`. */
  filterAccounts(tenantId: string, filter: { accountId?: number; words: string[] }): Promise<CloudAccount[]>;

  listInstances(tenantId: string, page: OffsetPage): Promise<Page<TrackedInstance>>;
  findInstance(tenantId: string, id: number): Promise<TrackedInstance | null>;
  listEvents(tenantId: string, page: OffsetPage & { instanceId?: number }): Promise<Page<PowerEvent>>;
  findEvent(tenantId: string, id: number): Promise<PowerEvent | null>;
  listImages(tenantId: string, page: OffsetPage): Promise<Page<MachineImage>>;
  findImage(tenantId: string, id: number): Promise<MachineImage | null>;
  challengeImage(
    tenantId: string,
    id: number,
    challenge: { rhelChallenged?: boolean; openshiftChallenged?: boolean },
  ): Promise<MachineImage | null>;

  /**
   * A file's relevant records, batch by batch as they are read, all in one transaction: when the batches throw,
   * nothing is stored and their error is rethrown. Events already stored (by eventID) are skipped. Null, with no
   * batch read, when the tenant has no such account.
   */
  recordActivity(
    tenantId: string,
    accountId: number,
    batches: AsyncIterable<RelevantRecord[]> | Iterable<RelevantRecord[]>,
  ): Promise<StoredActivity | null>;
  /** A registration's running instances (each a power_on at `at`) and their images (Windows: inspected, no inspection). */
  recordDiscovery(
    tenantId: string,
    accountId: number,
    discovery: { instances: DiscoveredInstance[]; images: DiscoveredImage[]; at: Date },
  ): Promise<void>;
  /** Tracks the instance under the tenant's `overcast` account for its provider (made when missing). */
  recordOvercastPowerChange(change: OvercastPowerChange): Promise<void>;

  dailyUsage(
    window: ReportWindow,
    days: number,
  ): Promise<{ days: DailyUsageRow[]; rhelInstances: number; openshiftInstances: number }>;
  accountCounts(window: ReportWindow): Promise<AccountCounts[]>;
  imageUsage(window: ReportWindow): Promise<ImageUsage[]>;
}
