import type { ProviderInstance } from '@overcast/providers';
import type { InstanceChanges } from './ports';
import type { InstanceRecord } from './records';

/**
 * What one refresh should change on a row given what its provider reports (undefined: not listed).
 * `listedAt` is when the listing started: a row changed after that may be newer than the listing and is
 * left alone (else an instance created during the listing would look vanished).
 */
export function convergeInstance(
  row: InstanceRecord,
  observed: ProviderInstance | undefined,
  listedAt: Date,
): InstanceChanges | null {
  if (!observed) {
    // `creating` rows are the provision job's; everything else the provider no longer has is gone.
    if (row.state === 'creating' || row.updatedAt >= listedAt) return null;
    return { state: 'terminated' };
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
