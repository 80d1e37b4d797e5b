import { z } from 'zod';
import { defineRpc } from '../catalog';
import { TenantScope } from '../platform';
import { Timestamp } from '../instances/instance';
import {
  AccountOverview,
  ActivityLogIngestion,
  CloudAccount,
  CloudAccountName,
  DailyUsageReport,
  IMAGE_INSPECTOR_SERVICE,
  ImageOverview,
  MachineImage,
  PowerEvent,
  TrackedInstance,
  UsageId,
} from './usage';

/** cloudigrade's LimitOffsetPagination (page size 10); the gateway builds next/previous from these. */
export const OffsetPage = z.object({
  limit: z.number().int().min(1).max(1000).default(10),
  offset: z.number().int().min(0).max(2_147_483_647).default(0),
});
const ById = TenantScope.extend({ id: UsageId });
const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ count: z.number().int().nonnegative(), results: z.array(item) });

export const CreateCloudAccountRequest = TenantScope.extend({
  type: z.enum(['aws', 'local']),
  name: CloudAccountName.optional(),
  /** Required for `aws`: the role cloudigrade assumes. */
  accountArn: z.string().max(2048).optional(),
});
export type CreateCloudAccountRequest = z.infer<typeof CreateCloudAccountRequest>;

/** `bad_request` with cloudigrade's wording, each detail's path naming the field (`account_arn`, `non_field_errors`). */
export const createCloudAccountRpc = defineRpc({
  type: 'usage.account.create',
  service: IMAGE_INSPECTOR_SERVICE,
  request: CreateCloudAccountRequest,
  response: CloudAccount,
});

export const listCloudAccountsRpc = defineRpc({
  type: 'usage.account.list',
  service: IMAGE_INSPECTOR_SERVICE,
  request: TenantScope.extend(OffsetPage.shape),
  response: pageOf(CloudAccount),
});

export const getCloudAccountRpc = defineRpc({
  type: 'usage.account.get',
  service: IMAGE_INSPECTOR_SERVICE,
  request: ById,
  response: CloudAccount,
});

/**
 * Only the name changes (cloudigrade: no DELETE); an `accountArn` other than the account's is refused naming
 * `account_arn` ("You cannot change this field."), the same one is accepted. No name: the account as it is.
 */
export const renameCloudAccountRpc = defineRpc({
  type: 'usage.account.rename',
  service: IMAGE_INSPECTOR_SERVICE,
  request: ById.extend({ name: CloudAccountName.nullable().optional(), accountArn: z.string().max(2048).optional() }),
  response: CloudAccount,
});

export const listTrackedInstancesRpc = defineRpc({
  type: 'usage.instance.list',
  service: IMAGE_INSPECTOR_SERVICE,
  request: TenantScope.extend(OffsetPage.shape),
  response: pageOf(TrackedInstance),
});

export const getTrackedInstanceRpc = defineRpc({
  type: 'usage.instance.get',
  service: IMAGE_INSPECTOR_SERVICE,
  request: ById,
  response: TrackedInstance,
});

export const listPowerEventsRpc = defineRpc({
  type: 'usage.event.list',
  service: IMAGE_INSPECTOR_SERVICE,
  request: TenantScope.extend({ ...OffsetPage.shape, instanceId: UsageId.optional() }),
  response: pageOf(PowerEvent),
});

export const getPowerEventRpc = defineRpc({
  type: 'usage.event.get',
  service: IMAGE_INSPECTOR_SERVICE,
  request: ById,
  response: PowerEvent,
});

export const listMachineImagesRpc = defineRpc({
  type: 'usage.image.list',
  service: IMAGE_INSPECTOR_SERVICE,
  request: TenantScope.extend(OffsetPage.shape),
  response: pageOf(MachineImage),
});

export const getMachineImageRpc = defineRpc({
  type: 'usage.image.get',
  service: IMAGE_INSPECTOR_SERVICE,
  request: ById,
  response: MachineImage,
});

/** The only writable fields of an image: the challenges. */
export const challengeMachineImageRpc = defineRpc({
  type: 'usage.image.challenge',
  service: IMAGE_INSPECTOR_SERVICE,
  request: ById.extend({ rhelChallenged: z.boolean().optional(), openshiftChallenged: z.boolean().optional() }),
  response: MachineImage,
});

/**
 * The first half of `POST /api/v1/image/{id}/inspection`: a disk image is gigabytes, which never travel on the bus.
 * The image inspector checks the image is the tenant's (else not_found) and answers a single-use upload ticket for
 * its own upload endpoint, to which the gateway then streams the request body (`Authorization: Bearer <token>`).
 */
export const openImageInspectionRpc = defineRpc({
  type: 'usage.image.inspection.open',
  service: IMAGE_INSPECTOR_SERVICE,
  request: ById,
  response: z.object({
    uploadUrl: z.string(),
    token: z.string(),
    /** Bytes the upload may hold (INSPECTION_UPLOAD_MAX_BYTES); a larger one is refused with payload_too_large. */
    maxBytes: z.number().int().positive(),
  }),
});

/** A CloudTrail file (gzip or plain JSON, base64) whose records belong to the account it is sent for. */
export const ingestActivityLogRpc = defineRpc({
  type: 'usage.activity-log.ingest',
  service: IMAGE_INSPECTOR_SERVICE,
  request: TenantScope.extend({ accountId: UsageId, contentBase64: z.string().max(16 * 1024 * 1024) }),
  response: ActivityLogIngestion,
});

export const ReportRequest = TenantScope.extend({
  start: Timestamp,
  end: Timestamp,
  /** Words split on spaces; an account whose name contains any of them (case-insensitive) is kept. */
  namePattern: z.string().max(1024).optional(),
  accountId: UsageId.optional(),
});
export type ReportRequest = z.infer<typeof ReportRequest>;

export const dailyUsageReportRpc = defineRpc({
  type: 'usage.report.daily',
  service: IMAGE_INSPECTOR_SERVICE,
  request: ReportRequest,
  response: DailyUsageReport,
});

export const accountsReportRpc = defineRpc({
  type: 'usage.report.accounts',
  service: IMAGE_INSPECTOR_SERVICE,
  request: ReportRequest,
  response: z.object({ cloudAccountOverviews: z.array(AccountOverview) }),
});

export const imagesReportRpc = defineRpc({
  type: 'usage.report.images',
  service: IMAGE_INSPECTOR_SERVICE,
  request: ReportRequest.extend({ accountId: UsageId }),
  response: z.object({ images: z.array(ImageOverview) }),
});

export const usageSysconfigRpc = defineRpc({
  type: 'usage.sysconfig',
  service: IMAGE_INSPECTOR_SERVICE,
  request: TenantScope,
  response: z.object({ awsAccountId: z.string().nullable() }),
});
