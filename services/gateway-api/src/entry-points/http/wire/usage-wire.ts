import type {
  AccountOverview,
  ActivityLogIngestion,
  CloudAccount,
  DailyUsageReport,
  ImageOverview,
  MachineImage,
  PowerEvent,
  TrackedInstance,
} from '@overcast/contracts';
import type { components } from '../generated/openapi';
import { imageInspectionToWire } from './inspection-wire';

type Schemas = components['schemas'];

/** cloudigrade's resource URLs (its clients follow them), under the gateway's public URL. */
export interface UsageUrls {
  account(id: number): string;
  instance(id: number): string;
  event(id: number): string;
  image(id: number): string;
}

export function usageUrls(publicUrl: string): UsageUrls {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    account: (id) => `${base}/api/v1/account/${id}/`,
    instance: (id) => `${base}/api/v1/instance/${id}/`,
    event: (id) => `${base}/api/v1/event/${id}/`,
    image: (id) => `${base}/api/v1/image/${id}/`,
  };
}

const accountResourceType = { aws: 'AwsAccount', local: 'LocalAccount', overcast: 'OvercastAccount' } as const;

export function cloudAccountToWire(account: CloudAccount, urls: UsageUrls): Schemas['CloudAccount'] {
  return {
    id: account.id,
    url: urls.account(account.id),
    resourcetype: accountResourceType[account.type],
    name: account.name,
    account_arn: account.accountArn,
    aws_account_id: account.awsAccountId,
    provider: account.provider,
    created_at: account.createdAt,
    updated_at: account.updatedAt,
  };
}

export function trackedInstanceToWire(instance: TrackedInstance, urls: UsageUrls): Schemas['TrackedInstance'] {
  return {
    id: instance.id,
    url: urls.instance(instance.id),
    account: urls.account(instance.accountId),
    resourcetype: instance.accountType === 'overcast' ? 'OvercastInstance' : 'AwsInstance',
    ec2_instance_id: instance.cloudInstanceId,
    region: instance.region,
    created_at: instance.createdAt,
    updated_at: instance.updatedAt,
  };
}

export function powerEventToWire(event: PowerEvent, urls: UsageUrls): Schemas['PowerEvent'] {
  return {
    id: event.id,
    url: urls.event(event.id),
    instance: urls.instance(event.instanceId),
    machineimage: event.machineImageId === null ? null : urls.image(event.machineImageId),
    resourcetype: 'AwsInstanceEvent',
    event_type: event.eventType,
    occurred_at: event.occurredAt,
    subnet: event.subnet,
    instance_type: event.instanceType,
  };
}

export function machineImageToWire(image: MachineImage, urls: UsageUrls): Schemas['MachineImage'] {
  return {
    id: image.id,
    url: urls.image(image.id),
    resourcetype: 'AwsMachineImage',
    ec2_ami_id: image.cloudImageId,
    owner_aws_account_id: image.ownerAccountId,
    name: image.name,
    platform: image.platform,
    status: image.status,
    is_encrypted: image.isEncrypted,
    rhel: image.rhel,
    rhel_detected: image.rhelDetected,
    rhel_enabled_repos_found: image.rhelEnabledReposFound,
    rhel_product_certs_found: image.rhelProductCertsFound,
    rhel_release_files_found: image.rhelReleaseFilesFound,
    rhel_signed_packages_found: image.rhelSignedPackagesFound,
    rhel_challenged: image.rhelChallenged,
    openshift: image.openshift,
    openshift_detected: image.openshiftDetected,
    openshift_challenged: image.openshiftChallenged,
    inspection: image.inspection === null ? null : imageInspectionToWire(image.inspection),
    inspection_error: image.inspectionError,
    status_reason: image.statusReason,
    created_at: image.createdAt,
    updated_at: image.updatedAt,
  };
}

export function ingestionToWire(ingestion: ActivityLogIngestion): Schemas['ActivityLogIngestion'] {
  return {
    records: ingestion.records,
    relevant_records: ingestion.relevantRecords,
    events_added: ingestion.eventsAdded,
    instances_added: ingestion.instancesAdded,
    images_added: ingestion.imagesAdded,
  };
}

export function dailyUsageToWire(report: DailyUsageReport): Schemas['DailyUsageReport'] {
  return {
    daily_usage: report.dailyUsage.map((day) => ({
      date: day.date,
      rhel_instances: day.rhelInstances,
      openshift_instances: day.openshiftInstances,
      rhel_runtime_seconds: day.rhelRuntimeSeconds,
      openshift_runtime_seconds: day.openshiftRuntimeSeconds,
    })),
    instances_seen_with_rhel: report.instancesSeenWithRhel,
    instances_seen_with_openshift: report.instancesSeenWithOpenshift,
  };
}

export function accountOverviewToWire(overview: AccountOverview): Schemas['AccountOverview'] {
  return {
    id: overview.id,
    cloud_account_id: overview.cloudAccountId,
    type: overview.type,
    arn: overview.arn,
    creation_date: overview.creationDate,
    name: overview.name,
    images: overview.images,
    instances: overview.instances,
    rhel_instances: overview.rhelInstances,
    openshift_instances: overview.openshiftInstances,
  };
}

export function imageOverviewToWire(overview: ImageOverview): Schemas['ImageOverview'] {
  return {
    id: overview.id,
    cloud_image_id: overview.cloudImageId,
    name: overview.name,
    status: overview.status,
    is_encrypted: overview.isEncrypted,
    rhel: overview.rhel,
    rhel_detected: overview.rhelDetected,
    rhel_challenged: overview.rhelChallenged,
    openshift: overview.openshift,
    openshift_detected: overview.openshiftDetected,
    openshift_challenged: overview.openshiftChallenged,
    instances_seen: overview.instancesSeen,
    runtime_seconds: overview.runtimeSeconds,
  };
}
