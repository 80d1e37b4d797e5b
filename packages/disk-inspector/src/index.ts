export { inspectDiskImage, openShiftTag } from './inspect-disk-image';
export type { DiskImageSource, ImageMetadata, InspectOptions } from './inspect-disk-image';
export type {
  CheckResult,
  Evidence,
  InspectionResult,
  OperatingSystem,
  PartitionReport,
  RhelChecks,
} from './inspection-result';
export { redHatKeyIds } from './checks/check-signed-packages';
export { bufferReader, openFileReader, type ByteReader } from './source/byte-reader';
