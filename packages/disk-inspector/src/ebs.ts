// The EBS direct-API reader on its own entry point: it brings the AWS SDK, which file, tar and upload inspections
// (the CLI's) have no use for.
export { openEbsSnapshotReader } from './source/ebs-snapshot-reader';
