import { refuse } from '../inspection-error';

const hashMagic = 0x061561;
const pageTypes = { hashUnsorted: 2, overflow: 7, hash: 13 };
const itemTypes = { keyData: 1, offPage: 3 };
const pageHeaderBytes = 26;

/**
 * The data items of a Berkeley DB hash database (RHEL ≤ 8's /var/lib/rpm/Packages), read from the file's pages:
 * hash pages hold key/data pairs, large data lives in chains of overflow pages. Keys are not needed (rpm's keys are
 * header numbers), so every data item of every hash page is returned, in page order.
 */
export function readBerkeleyHashValues(file: Buffer): Buffer[] {
  refuse(file.length >= 512, 'rpmdb: a Berkeley DB file too short for its metadata page');
  const littleEndian = file.readUInt32LE(12) === hashMagic;
  refuse(littleEndian || file.readUInt32BE(12) === hashMagic, 'rpmdb: not a Berkeley DB hash database');
  const u16 = (at: number): number => (littleEndian ? file.readUInt16LE(at) : file.readUInt16BE(at));
  const u32 = (at: number): number => (littleEndian ? file.readUInt32LE(at) : file.readUInt32BE(at));
  const pageSize = u32(20);
  refuse(pageSize >= 512 && pageSize <= 65536 && (pageSize & (pageSize - 1)) === 0, 'rpmdb: bad Berkeley DB page size');
  const pageCount = Math.floor(file.length / pageSize);

  const readOverflow = (firstPage: number, totalLength: number): Buffer => {
    const parts: Buffer[] = [];
    let collected = 0;
    const visited = new Set<number>();
    for (let page = firstPage; page !== 0 && collected < totalLength;) {
      refuse(page < pageCount && !visited.has(page), 'rpmdb: a broken overflow chain');
      visited.add(page);
      const start = page * pageSize;
      refuse(
        file.readUInt8(start + 25) === pageTypes.overflow,
        'rpmdb: an overflow chain leads to a non-overflow page',
      );
      const length = Math.min(u16(start + 22), pageSize - pageHeaderBytes);
      parts.push(file.subarray(start + pageHeaderBytes, start + pageHeaderBytes + length));
      collected += length;
      page = u32(start + 16);
    }
    return Buffer.concat(parts).subarray(0, totalLength);
  };

  const values: Buffer[] = [];
  for (let page = 1; page < pageCount; page++) {
    const start = page * pageSize;
    const type = file.readUInt8(start + 25);
    if (type !== pageTypes.hash && type !== pageTypes.hashUnsorted) continue;
    const entries = u16(start + 20);
    refuse(pageHeaderBytes + entries * 2 <= pageSize, 'rpmdb: a hash page with more entries than fit');
    // Items are packed from the end of the page downwards: item i ends where item i-1 begins.
    for (let index = 1; index < entries; index += 2) {
      const itemStart = u16(start + pageHeaderBytes + index * 2);
      const itemEnd = u16(start + pageHeaderBytes + (index - 1) * 2);
      if (itemStart >= itemEnd || itemEnd > pageSize) continue;
      const item = file.subarray(start + itemStart, start + itemEnd);
      const itemType = item.readUInt8(0);
      if (itemType === itemTypes.keyData) values.push(item.subarray(1));
      else if (itemType === itemTypes.offPage && item.length >= 12) {
        values.push(readOverflow(u32(start + itemStart + 4), u32(start + itemStart + 8)));
      }
    }
  }
  return values;
}
