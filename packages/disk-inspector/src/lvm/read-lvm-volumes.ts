import { refuse } from '../inspection-error';
import { checkRange, type ByteReader } from '../source/byte-reader';
import { parseLvmMetadata, type LvmSection, type LvmValue } from './parse-lvm-metadata';

const sector = 512;
const labelSectors = 4;
const metadataMagic = ' LVM2 x[5A%r0N*>';
const maxMetadataBytes = 4 * 1024 * 1024;

export interface LogicalVolume {
  /** "<volume group>/<logical volume>" */
  name: string;
  reader: ByteReader;
}

/** An LVM2 physical volume: its label ("LABELONE" … "LVM2 001") sits in one of its first four sectors. */
export async function findLvmLabel(reader: ByteReader): Promise<number | undefined> {
  if (reader.size < labelSectors * sector) return undefined;
  const head = await reader.read(0, labelSectors * sector);
  for (let index = 0; index < labelSectors; index++) {
    const at = index * sector;
    if (
      head.toString('latin1', at, at + 8) === 'LABELONE' &&
      head.toString('latin1', at + 24, at + 32) === 'LVM2 001'
    ) {
      return at;
    }
  }
  return undefined;
}

/**
 * The logical volumes of a single-disk volume group, each as a reader over its extents on this physical volume.
 * The current metadata is the text the first metadata area's header points at (wrapping round its ring buffer);
 * linear segments are read, and a volume with a segment on another disk or of another type is refused.
 */
export async function readLogicalVolumes(pv: ByteReader, labelAt: number): Promise<LogicalVolume[]> {
  const label = await pv.read(labelAt, sector);
  const headerAt = label.readUInt32LE(20);
  refuse(headerAt >= 32 && headerAt + 40 <= sector, 'LVM: a broken label');
  const pvId = label.toString('latin1', headerAt, headerAt + 32);
  // After the uuid and the device size: the data areas, then the metadata areas, each list ending in zeros.
  let at = headerAt + 40;
  const readAreas = (): { offset: number; size: number }[] => {
    const areas = [];
    for (; at + 16 <= sector; at += 16) {
      const offset = Number(label.readBigUInt64LE(at));
      const size = Number(label.readBigUInt64LE(at + 8));
      if (offset === 0) break;
      areas.push({ offset, size });
    }
    at += 16;
    return areas;
  };
  readAreas();
  const [metadataArea] = readAreas();
  refuse(metadataArea !== undefined, 'LVM: a physical volume with no metadata area');
  const metadata = parseLvmMetadata(await readMetadataText(pv, metadataArea.offset, metadataArea.size));
  const [vgName, vg] = Object.entries(metadata).find(([, value]) => isSection(value)) ?? [];
  refuse(vgName !== undefined && isSection(vg), 'LVM: the metadata holds no volume group');
  return volumesOf(pv, vgName, vg, pvId);
}

async function readMetadataText(pv: ByteReader, areaOffset: number, areaSize: number): Promise<string> {
  const header = await pv.read(areaOffset, sector);
  refuse(header.toString('latin1', 4, 20) === metadataMagic, 'LVM: a metadata area without its magic');
  const offset = Number(header.readBigUInt64LE(40));
  const size = Number(header.readBigUInt64LE(48));
  refuse(size > 0 && size <= maxMetadataBytes && offset >= sector && offset < areaSize, 'LVM: no current metadata');
  // The area after its header is a ring: text running past its end continues right after the header.
  const firstPart = Math.min(size, areaSize - offset);
  const parts = [await pv.read(areaOffset + offset, firstPart)];
  if (firstPart < size) parts.push(await pv.read(areaOffset + sector, size - firstPart));
  const text = Buffer.concat(parts).toString('utf8');
  const end = text.indexOf('\0');
  return end === -1 ? text : text.slice(0, end);
}

function volumesOf(pv: ByteReader, vgName: string, vg: LvmSection, pvId: string): LogicalVolume[] {
  const extentBytes = numberOf(vg.extent_size, 'extent_size') * sector;
  const physicalVolumes = sectionOf(vg.physical_volumes);
  const here = Object.entries(physicalVolumes).find(
    ([, value]) => isSection(value) && String(value.id).replaceAll('-', '') === pvId,
  );
  refuse(here !== undefined, 'LVM: the volume group does not list this physical volume');
  const [pvName, pvSection] = here as [string, LvmSection];
  const dataStart = numberOf(pvSection.pe_start, 'pe_start') * sector;
  const volumes: LogicalVolume[] = [];
  for (const [lvName, lv] of Object.entries(sectionOf(vg.logical_volumes))) {
    if (!isSection(lv)) continue;
    const segments = Object.values(lv)
      .filter(isSection)
      .map((segment) => {
        const stripes = segment.stripes;
        refuse(
          segment.type === 'striped' && segment.stripe_count === 1 && Array.isArray(stripes),
          `LVM: ${vgName}/${lvName} is not a linear volume (${String(segment.type)})`,
        );
        refuse(stripes[0] === pvName, `LVM: ${vgName}/${lvName} lies partly on another disk`);
        return {
          start: numberOf(segment.start_extent, 'start_extent') * extentBytes,
          length: numberOf(segment.extent_count, 'extent_count') * extentBytes,
          physical: dataStart + numberOf(stripes[1], 'stripe offset') * extentBytes,
        };
      });
    volumes.push({ name: `${vgName}/${lvName}`, reader: segmentReader(pv, segments) });
  }
  return volumes;
}

function segmentReader(pv: ByteReader, segments: { start: number; length: number; physical: number }[]): ByteReader {
  const size = segments.reduce((end, segment) => Math.max(end, segment.start + segment.length), 0);
  for (const segment of segments) checkRange(pv.size, segment.physical, segment.length);
  return {
    size,
    read: async (offset, length) => {
      checkRange(size, offset, length);
      const result = Buffer.alloc(length);
      for (const segment of segments) {
        const from = Math.max(offset, segment.start);
        const to = Math.min(offset + length, segment.start + segment.length);
        if (from >= to) continue;
        (await pv.read(segment.physical + (from - segment.start), to - from)).copy(result, from - offset);
      }
      return result;
    },
  };
}

function isSection(value: LvmValue | undefined): value is LvmSection {
  return typeof value === 'object' && !Array.isArray(value);
}

function sectionOf(value: LvmValue | undefined): LvmSection {
  return isSection(value) ? value : {};
}

function numberOf(value: LvmValue | undefined, name: string): number {
  refuse(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0, `LVM: a bad ${name}`);
  return value;
}
