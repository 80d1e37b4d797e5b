import { inspectDiskImage, openShiftTag } from '@overcast/disk-inspector';
import { backoffDelayMs, type BackoffPolicy } from '@overcast/pacing';
import type { Clock } from '../ports';
import type { AwsImageSnapshots } from './aws-image-snapshots';
import { outcomeOf } from './inspection-outcome';
import type { DueAwsImage, InspectionStore } from './inspection-ports';

export interface AwsInspectionRetry extends BackoffPolicy {
  /** Tries before an image is left `error` with the last reason. */
  maxAttempts: number;
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * One pass of the AWS inspection job: each AWS image due is read from its AMI's root snapshot through the EBS direct
 * APIs (FACTS 4.4 without the copy → volume → attach → instance pipeline). A Windows image is marked inspected
 * without being read and an encrypted snapshot is marked as such (never left `preparing`, as the original did). A
 * failed try (the role, EC2, EBS, or nothing readable in the snapshot) is counted with its reason and tried again
 * after an exponential backoff with jitter, until the last try leaves the image `error` with that reason. The
 * database is the queue: a crash mid-try leaves the image due, and the exclusive job's next holder takes it.
 */
export function createInspectAwsImages(deps: {
  store: InspectionStore;
  aws: AwsImageSnapshots;
  clock: Clock;
  retry: AwsInspectionRetry;
  /** Images asked for at a time: a pass goes on until none is due, and stops between images when the job stops. */
  batchSize: number;
  random?: () => number;
}) {
  const { store, aws, clock, retry } = deps;

  async function fail(due: DueAwsImage, reason: string): Promise<void> {
    const attempts = due.attempts + 1;
    const last = attempts >= retry.maxAttempts;
    const nextAttemptAt = last
      ? null
      : new Date(clock.now().getTime() + backoffDelayMs(retry, attempts, deps.random ?? Math.random));
    await store.recordInspectionFailure(due.image.tenantId, due.image.id, { attempts, reason, nextAttemptAt });
  }

  async function inspectOne(due: DueAwsImage): Promise<void> {
    const location = { ...due, imageId: due.image.cloudImageId };
    const root = await aws.describeRoot(location);
    if (!root) {
      await fail({ ...due, attempts: retry.maxAttempts }, `EC2 no longer knows ${location.imageId} in ${due.region}`);
      return;
    }
    const { snapshotId } = root;
    const windows = root.platform === 'windows';
    if (!snapshotId && !windows && !root.encrypted) {
      await fail({ ...due, attempts: retry.maxAttempts }, `${location.imageId} has no EBS root snapshot to read`);
      return;
    }
    const result = await inspectDiskImage(
      { kind: 'reader', reader: () => aws.openSnapshot(location, snapshotId!) },
      {
        platform: root.platform,
        encrypted: root.encrypted,
        // The tag as EC2 has it now, or as CloudTrail last set it.
        tags: due.image.openshiftDetected ? { ...root.tags, [openShiftTag]: '' } : root.tags,
      },
    );
    if (result.status === 'error') {
      await fail(due, result.errors.join('; '));
      return;
    }
    await store.recordInspection(due.image.tenantId, due.image.id, {
      ...outcomeOf(result, result.skipped ? 'none' : 'ebs', clock.now()),
      platform: root.platform,
      isEncrypted: root.encrypted,
      ...(Object.hasOwn(root.tags, openShiftTag) ? { openshiftDetected: true as const } : {}),
    });
  }

  /**
   * Inspects every image due now, a batch at a time (not one batch per pass: cloudigrade's cluster took one batch
   * and only when scaled to zero, FACTS 4.8, so a large account waited hours); answers how many it tried. Each image
   * tried leaves the due set (inspected, error, or due again only after its backoff), so the pass ends.
   */
  return async function inspectDueAwsImages(signal?: AbortSignal): Promise<number> {
    let tried = 0;
    for (;;) {
      const due = await store.findDueAwsImages(clock.now(), deps.batchSize);
      for (const image of due) {
        if (signal?.aborted) return tried;
        tried += 1;
        await inspectOne(image).catch((error: unknown) => fail(image, reasonOf(error)));
      }
      if (due.length < deps.batchSize) return tried;
    }
  };
}
