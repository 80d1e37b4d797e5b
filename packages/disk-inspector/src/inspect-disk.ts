import { FileTree } from './filesystems/file-tree';
import { openFileSystem } from './filesystems/open-file-system';
import { inspectFileTree } from './inspect-file-tree';
import type { PartitionReport } from './inspection-result';
import { findLvmLabel, readLogicalVolumes } from './lvm/read-lvm-volumes';
import type { PartitionOutcome } from './merge-findings';
import { readPartitionTable } from './partitions/read-partition-table';
import { sliceReader, type ByteReader } from './source/byte-reader';

/**
 * Every partition of a disk, and every logical volume of a partition that is an LVM physical volume (RHEL's
 * installer default), inspected on its own: one that cannot be read is reported and the others still are.
 */
export async function inspectDisk(disk: ByteReader): Promise<PartitionOutcome[]> {
  const outcomes: PartitionOutcome[] = [];
  for (const partition of await readPartitionTable(disk)) {
    const reader = sliceReader(disk, partition.offset, partition.size);
    const report = emptyReport(partition.name, partition.offset, partition.size);
    try {
      const labelAt = await findLvmLabel(reader);
      if (labelAt === undefined) {
        outcomes.push(await inspectVolume(report, reader));
        continue;
      }
      for (const volume of await readLogicalVolumes(reader, labelAt)) {
        const volumeReport = emptyReport(`${partition.name}/${volume.name}`, partition.offset, volume.reader.size);
        outcomes.push(await inspectVolume(volumeReport, volume.reader));
      }
    } catch (error) {
      report.errors.push((error as Error).message);
      outcomes.push({ report });
    }
  }
  return outcomes;
}

async function inspectVolume(report: PartitionReport, reader: ByteReader): Promise<PartitionOutcome> {
  try {
    const fileSystem = await openFileSystem(reader);
    if (!fileSystem) return { report };
    report.filesystem = fileSystem.type;
    const findings = await inspectFileTree(new FileTree(fileSystem), report.name);
    report.rhelFound = Object.values(findings.checks).some((check) => check.found);
    report.signedPackageCount = findings.signedPackageCount;
    if (findings.rpmDatabase) report.rpmDatabase = findings.rpmDatabase;
    report.errors.push(...findings.errors);
    return { report, findings };
  } catch (error) {
    report.errors.push((error as Error).message);
    return { report };
  }
}

function emptyReport(name: string, offset: number, size: number): PartitionReport {
  return { name, offset, size, filesystem: 'unknown', rhelFound: false, signedPackageCount: 0, errors: [] };
}
