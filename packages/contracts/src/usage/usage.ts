import { z } from 'zod';
import { Timestamp } from '../instances/instance';

/** The service that owns cloud accounts, tracked instances, power events, machine images and usage reports. */
export const IMAGE_INSPECTOR_SERVICE = 'image-inspector';

/** cloudigrade's ids are integers, and its clients build URLs from them (`/api/v1/account/1/`); Postgres `integer`. */
export const UsageId = z.number().int().positive().max(2_147_483_647);

/**
 * `aws`: registered by role ARN (cloudigrade's AwsAccount). `local`: needs no cloud; its activity logs are uploaded
 * or dropped in a watched directory. `overcast`: one per provider per tenant, made on the first state change of an
 * instance Overcast's own instance broker runs, so one ledger covers every provider Overcast drives.
 */
export const CloudAccountType = z.enum(['aws', 'local', 'overcast']);
export type CloudAccountType = z.infer<typeof CloudAccountType>;

export const CloudAccountName = z.string().min(1).max(256);

export const CloudAccount = z.object({
  id: UsageId,
  type: CloudAccountType,
  name: z.string().nullable(),
  /** The AWS account id (from the ARN) for `aws`; null otherwise. */
  awsAccountId: z.string().nullable(),
  accountArn: z.string().nullable(),
  /** The provider whose instances an `overcast` account follows; null otherwise. */
  provider: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type CloudAccount = z.infer<typeof CloudAccount>;

export const TrackedInstance = z.object({
  id: UsageId,
  accountId: UsageId,
  /** Its account's type: an `overcast` account's instances are Overcast's own, the others cloud instances. */
  accountType: CloudAccountType,
  /** The cloud's own id (EC2 `i-…`, or an Overcast instance id for `overcast` accounts). */
  cloudInstanceId: z.string(),
  region: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type TrackedInstance = z.infer<typeof TrackedInstance>;

export const PowerEventType = z.enum(['power_on', 'power_off']);
export type PowerEventType = z.infer<typeof PowerEventType>;

export const PowerEvent = z.object({
  id: UsageId,
  instanceId: UsageId,
  machineImageId: UsageId.nullable(),
  eventType: PowerEventType,
  occurredAt: Timestamp,
  subnet: z.string().nullable(),
  instanceType: z.string().nullable(),
});
export type PowerEvent = z.infer<typeof PowerEvent>;

/**
 * cloudigrade's image status machine; `encrypted` snapshots are marked and finished, never left `preparing`.
 * `needs_upload` is Overcast's: no job can read the image (a local catalog image, the fake provider's, GCE's, a local
 * account's), so it is inspected once a disk image or rootfs tar is uploaded for it; `statusReason` says why.
 */
export const MachineImageStatus = z.enum(['pending', 'preparing', 'inspecting', 'inspected', 'error', 'needs_upload']);
export type MachineImageStatus = z.infer<typeof MachineImageStatus>;

const Evidence = z.object({ partition: z.string(), path: z.string().optional(), detail: z.string() });
/** One check's verdict and every item that made it positive (where it was found). */
const CheckResult = z.object({ found: z.boolean(), evidence: z.array(Evidence) });

/**
 * What the last inspection found and how (houndigrade's checks with their provenance), kept on the image. `source`
 * says what was read: a disk image or rootfs tar uploaded to `POST /api/v1/image/{id}/inspection`, the AMI's
 * snapshot through the EBS direct APIs, or the disk the local provider's catalog names for a local image. `errors` are why parts (or all) of it could not be read.
 */
export const ImageInspection = z.object({
  source: z.enum(['upload', 'ebs', 'catalog', 'none']),
  inspectedAt: Timestamp,
  skipped: z.enum(['windows', 'encrypted']).optional(),
  rhel: z.object({
    detected: z.boolean(),
    version: z.string().nullable(),
    checks: z.object({
      releaseFiles: CheckResult,
      productCertificates: CheckResult,
      enabledRepos: CheckResult,
      signedPackages: CheckResult,
    }),
  }),
  openshift: z.object({ detected: z.boolean(), checks: z.object({ tag: CheckResult }) }),
  errors: z.array(z.string()),
});
export type ImageInspection = z.infer<typeof ImageInspection>;

export const MachineImage = z.object({
  id: UsageId,
  cloudImageId: z.string(),
  ownerAccountId: z.string().nullable(),
  name: z.string().nullable(),
  platform: z.enum(['none', 'windows']),
  status: MachineImageStatus,
  isEncrypted: z.boolean(),
  rhelEnabledReposFound: z.boolean(),
  rhelProductCertsFound: z.boolean(),
  rhelReleaseFilesFound: z.boolean(),
  rhelSignedPackagesFound: z.boolean(),
  /** Any of the four checks found RHEL. */
  rhelDetected: z.boolean(),
  rhelChallenged: z.boolean(),
  /** rhelDetected XOR rhelChallenged: a challenge flips what inspection found. */
  rhel: z.boolean(),
  openshiftDetected: z.boolean(),
  openshiftChallenged: z.boolean(),
  openshift: z.boolean(),
  /** The last inspection's provenance; null until one ran. */
  inspection: ImageInspection.nullable(),
  /** Why the last try to inspect it failed (the AWS job retries with backoff, then leaves it `error`); else null. */
  inspectionError: z.string().nullable(),
  /** Why it is `needs_upload`, or what a `pending` image waits for; null once inspected or tried. */
  statusReason: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type MachineImage = z.infer<typeof MachineImage>;

export const DailyUsage = z.object({
  date: Timestamp,
  rhelInstances: z.number().int().nonnegative(),
  openshiftInstances: z.number().int().nonnegative(),
  rhelRuntimeSeconds: z.number().nonnegative(),
  openshiftRuntimeSeconds: z.number().nonnegative(),
});
export type DailyUsage = z.infer<typeof DailyUsage>;

export const DailyUsageReport = z.object({
  dailyUsage: z.array(DailyUsage),
  instancesSeenWithRhel: z.number().int().nonnegative(),
  instancesSeenWithOpenshift: z.number().int().nonnegative(),
});
export type DailyUsageReport = z.infer<typeof DailyUsageReport>;

/** Counts are null when the window ends before the account existed (cloudigrade's rule). */
export const AccountOverview = z.object({
  id: UsageId,
  cloudAccountId: z.string().nullable(),
  type: CloudAccountType,
  arn: z.string().nullable(),
  creationDate: Timestamp,
  name: z.string().nullable(),
  images: z.number().int().nullable(),
  instances: z.number().int().nullable(),
  rhelInstances: z.number().int().nullable(),
  openshiftInstances: z.number().int().nullable(),
});
export type AccountOverview = z.infer<typeof AccountOverview>;

export const ImageOverview = MachineImage.pick({
  id: true,
  cloudImageId: true,
  name: true,
  status: true,
  isEncrypted: true,
  rhel: true,
  rhelDetected: true,
  rhelChallenged: true,
  openshift: true,
  openshiftDetected: true,
  openshiftChallenged: true,
}).extend({
  instancesSeen: z.number().int().nonnegative(),
  runtimeSeconds: z.number().nonnegative(),
});
export type ImageOverview = z.infer<typeof ImageOverview>;

/** What one activity-log file added: a file replayed adds no events. */
export const ActivityLogIngestion = z.object({
  records: z.number().int().nonnegative(),
  relevantRecords: z.number().int().nonnegative(),
  eventsAdded: z.number().int().nonnegative(),
  instancesAdded: z.number().int().nonnegative(),
  imagesAdded: z.number().int().nonnegative(),
});
export type ActivityLogIngestion = z.infer<typeof ActivityLogIngestion>;
