import type { EBSClient } from '@aws-sdk/client-ebs';
import { GetSnapshotBlockCommand, ListSnapshotBlocksCommand } from '@aws-sdk/client-ebs';

/** A snapshot id no account has: the probes ask for it so that nothing is listed or read. */
export const probeSnapshotId = 'snap-00000000000000000';

/**
 * The EBS direct API actions the inspection job reads AMI snapshots with (FACTS 4.4 without the copy pipeline), each
 * probed by its cheapest call. The EBS direct APIs have no DryRun; but AWS authorizes a call before it looks the
 * snapshot up, so a call on a snapshot that does not exist answers AccessDeniedException when the role lacks the
 * action, and ResourceNotFoundException or ValidationException (no such snapshot, no such block token) when it has
 * it. Nothing is listed or read. A policy that grants the actions only on some snapshots (by tag or id) is denied on
 * the probe's; such a role must also allow them on all snapshots for the check to pass.
 */
const ebsProbes = [
  ['ebs:ListSnapshotBlocks', new ListSnapshotBlocksCommand({ SnapshotId: probeSnapshotId, MaxResults: 100 })],
  [
    'ebs:GetSnapshotBlock',
    new GetSnapshotBlockCommand({ SnapshotId: probeSnapshotId, BlockIndex: 0, BlockToken: 'AAAAAAAAAAAAAAAA' }),
  ],
] as const;

/** What answers after authorization passed: the permission is there, the probe's snapshot is not. */
const permittedAnswers = new Set(['ResourceNotFoundException', 'ValidationException']);

const nameOf = (error: unknown) => (error as { name?: string }).name ?? '';

/**
 * The EBS direct API actions the role may not call (`ebs:<action>`). Any other failure (throttling, the network) is
 * thrown: registration fails as on any AWS error, rather than refusing a role that may well be right.
 */
export async function deniedEbsActions(ebs: EBSClient): Promise<string[]> {
  const denied: string[] = [];
  for (const [action, command] of ebsProbes) {
    try {
      await ebs.send(command as Parameters<EBSClient['send']>[0]);
      // A snapshot of that id would have to exist for this; the call passed authorization all the same.
    } catch (error) {
      if (nameOf(error) === 'AccessDeniedException') denied.push(action);
      else if (!permittedAnswers.has(nameOf(error))) throw error;
    }
  }
  return denied;
}
