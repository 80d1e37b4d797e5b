import {
  ImageInspection,
  type CloudAccount,
  type CloudAccountType,
  type MachineImage,
  type MachineImageStatus,
  type PowerEvent,
  type PowerEventType,
  type TrackedInstance,
} from '@overcast/contracts';
import type {
  CloudAccount as CloudAccountRow,
  MachineImage as MachineImageRow,
  PowerEvent as PowerEventRow,
  TrackedInstance as TrackedInstanceRow,
} from '../generated/prisma/client';

export function toCloudAccount(row: CloudAccountRow): CloudAccount {
  return {
    id: row.id,
    type: row.type as CloudAccountType,
    name: row.name,
    awsAccountId: row.awsAccountId,
    accountArn: row.accountArn,
    provider: row.provider,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toTrackedInstance(row: TrackedInstanceRow & { account: { type: string } }): TrackedInstance {
  return {
    id: row.id,
    accountId: row.accountId,
    accountType: row.account.type as CloudAccountType,
    cloudInstanceId: row.cloudInstanceId,
    region: row.region,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toPowerEvent(row: PowerEventRow): PowerEvent {
  return {
    id: row.id,
    instanceId: row.instanceId,
    machineImageId: row.machineImageId,
    eventType: row.eventType as PowerEventType,
    occurredAt: row.occurredAt.toISOString(),
    subnet: row.subnet,
    instanceType: row.instanceType,
  };
}

/** cloudigrade's derived fields: detected by any check; a challenge flips the verdict (XOR). */
export function toMachineImage(row: MachineImageRow): MachineImage {
  const rhelDetected =
    row.rhelEnabledReposFound || row.rhelProductCertsFound || row.rhelReleaseFilesFound || row.rhelSignedPackagesFound;
  return {
    id: row.id,
    cloudImageId: row.cloudImageId,
    ownerAccountId: row.ownerAccountId,
    name: row.name,
    platform: row.platform === 'windows' ? 'windows' : 'none',
    status: row.status as MachineImageStatus,
    isEncrypted: row.isEncrypted,
    rhelEnabledReposFound: row.rhelEnabledReposFound,
    rhelProductCertsFound: row.rhelProductCertsFound,
    rhelReleaseFilesFound: row.rhelReleaseFilesFound,
    rhelSignedPackagesFound: row.rhelSignedPackagesFound,
    rhelDetected,
    rhelChallenged: row.rhelChallenged,
    rhel: rhelDetected !== row.rhelChallenged,
    openshiftDetected: row.openshiftDetected,
    openshiftChallenged: row.openshiftChallenged,
    openshift: row.openshiftDetected !== row.openshiftChallenged,
    // The stored result holds more (partitions, operating systems); what the API shows is the provenance.
    inspection: row.inspection === null ? null : (ImageInspection.safeParse(row.inspection).data ?? null),
    inspectionError: row.inspectionError,
    statusReason: row.statusReason,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
