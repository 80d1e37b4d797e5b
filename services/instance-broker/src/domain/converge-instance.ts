import type { ProviderInstance } from '@overcast/providers';
import type { InstanceChanges } from './ports';
import type { InstanceRecord } from './records';

/**
 * What one refresh should change on a row given what its provider reports (undefined: not listed).
 * `listedAt` is when the listing started: a row changed after that may be newer than the listing and is
 * left alone (else an instance created during the listing would look vanished). A `creating` row is the
 * provision job's, unless it is older than `creatingGiveUpBefore`: then its job was lost (parked after
 * failures that were not the provider's) and the row must not stay `creating` forever.
 */
export function convergeInstance(
  row: InstanceRecord,
  observed: ProviderInstance | undefined,
  listedAt: Date,
  creatingGiveUpBefore: Date,
): InstanceChanges | null {
  if (!observed) {
    if (row.updatedAt >= listedAt) return null;
    if (row.state !== 'creating') return { state: 'terminated' };
    if (row.updatedAt >= creatingGiveUpBefore) return null;
    return { state: 'errored', errorReason: 'the provider never created the instance (its creation job was lost)' };
  }
  let state = observed.state;
  // Our own termination is in flight: the provider catches up, the row stays terminating until it is gone.
  if (row.state === 'terminating' && state !== 'terminated') state = 'terminating';
  const changes: InstanceChanges = {};
  if (state !== row.state) changes.state = state;
  if (observed.ipAddress !== row.ipAddress && observed.ipAddress !== null) changes.ipAddress = observed.ipAddress;
  if (observed.upstreamId !== row.upstreamId) changes.upstreamId = observed.upstreamId;
  return Object.keys(changes).length > 0 ? changes : null;
}
