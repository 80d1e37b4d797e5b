import type { ImageInspection, MachineImage } from '@overcast/contracts';

/** What inspecting an image needs to know of it before reading it: these decide some verdicts without reading. */
export interface ImageToInspect {
  tenantId: string;
  id: number;
  cloudImageId: string;
  platform: 'none' | 'windows';
  isEncrypted: boolean;
  /** Set by the `cloudigrade-ocp-present` tag (CloudTrail or registration): passed to the inspector as the tag. */
  openshiftDetected: boolean;
}

/** An inspection's outcome as the image keeps it (cloudigrade's columns, and the whole result as provenance). */
export interface InspectionOutcome {
  status: 'inspected' | 'error';
  /**
   * These three are set only where the cloud told them (EC2's image): what the inspector was given from the image's
   * row is not written back, lest a tag its writers (activity logs, registration) set during the reading be undone.
   */
  platform?: 'none' | 'windows';
  isEncrypted?: boolean;
  /** Only ever set true: EC2 has the image tagged now (its removal is a DeleteTags the activity logs record). */
  openshiftDetected?: true;
  rhelReleaseFilesFound: boolean;
  rhelProductCertsFound: boolean;
  rhelEnabledReposFound: boolean;
  rhelSignedPackagesFound: boolean;
  /** The provenance the API shows, and whatever else the reader reported (partitions, operating systems). */
  inspection: ImageInspection & Record<string, unknown>;
}

/** An AWS image due for its (next) try: where it lives, and how many tries failed before. */
export interface DueAwsImage {
  image: ImageToInspect;
  accountArn: string;
  awsAccountId: string;
  region: string;
  attempts: number;
}

/** A failed try: counted with its reason; the image waits until `nextAttemptAt`, or ends as error when it is null. */
export interface InspectionFailure {
  attempts: number;
  reason: string;
  nextAttemptAt: Date | null;
}

/** Where an instance that ran an image was tracked: what decides whether a job can read the image. */
export interface ImageSource {
  /** `aws` (a registered role), `local` (activity logs only) or `overcast` (instances Overcast's broker ran). */
  accountType: string;
  /** The broker's provider for an `overcast` account (local, fake, gce, aws …); null otherwise. */
  provider: string | null;
  /** The account has a role the AWS inspection job can assume. */
  hasRole: boolean;
}

/** A pending image no one has looked at yet, with the accounts whose instances ran it. */
export interface UntriagedImage {
  tenantId: string;
  id: number;
  cloudImageId: string;
  sources: ImageSource[];
}

/** The disks the local provider's catalog names, and a version that changes when they or their files do. */
export interface LocalCatalogDisks {
  /** Catalog image name → its disk image or rootfs tar. */
  disks: ReadonlyMap<string, string>;
  version: string;
}

/** Upload tickets and inspection results; data-access implements it (tenant-scoped like the rest). */
export interface InspectionStore {
  findImageToInspect(tenantId: string, id: number): Promise<ImageToInspect | null>;
  /** False when the image is not the tenant's. */
  createUploadTicket(ticket: {
    tenantId: string;
    imageId: number;
    tokenHash: string;
    expiresAt: Date;
  }): Promise<boolean>;
  /** Deletes and answers the ticket when it exists and has not expired: a ticket is used once. */
  takeUploadTicket(tokenHash: string, now: Date): Promise<{ tenantId: string; imageId: number } | null>;
  recordInspection(tenantId: string, id: number, outcome: InspectionOutcome): Promise<MachineImage | null>;
  /** Images of AWS accounts not inspected yet whose next try is due, the longest waiting first. */
  findDueAwsImages(now: Date, limit: number): Promise<DueAwsImage[]>;
  recordInspectionFailure(tenantId: string, id: number, failure: InspectionFailure): Promise<void>;
  /** Pending images not triaged yet (no status reason), the oldest first. */
  findUntriagedImages(limit: number): Promise<UntriagedImage[]>;
  /**
   * Hands waiting images back to the triage (pending, no reason), in every tenant; answers how many. `catalogImages`:
   * those that need an upload and are named so (the local catalog now names a disk for them). `awaitingAws`: those
   * left pending for the AWS inspection job (which no longer runs here).
   */
  reopenTriage(waiting: { catalogImages: string[]; awaitingAws: boolean }): Promise<number>;
  /** Sets the triage's verdict on an image still pending and untriaged (a job may have taken it meanwhile). */
  recordTriage(
    tenantId: string,
    id: number,
    verdict: { status: 'pending' | 'needs_upload'; reason: string },
  ): Promise<void>;
}
