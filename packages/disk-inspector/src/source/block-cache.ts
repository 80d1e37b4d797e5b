/**
 * Fixed-size blocks loaded on demand and kept, least recently used dropped first: the EBS reader's snapshot blocks
 * and the qcow2 reader's clusters and tables are read again and again (inode tables, directories). A load in
 * flight is shared; a failed one is forgotten so the next read tries again.
 */
export function createBlockCache(
  capacity: number,
  load: (index: number) => Promise<Buffer>,
): (index: number) => Promise<Buffer> {
  const cache = new Map<number, Promise<Buffer>>();
  return (index) => {
    let pending = cache.get(index);
    if (pending) cache.delete(index);
    else pending = load(index);
    cache.set(index, pending); // the most recently used last
    pending.catch(() => cache.delete(index));
    if (cache.size > capacity) cache.delete(cache.keys().next().value as number);
    return pending;
  };
}

/** A read of any range through whole blocks. */
export async function readThroughBlocks(
  block: (index: number) => Promise<Buffer>,
  blockSize: number,
  offset: number,
  length: number,
): Promise<Buffer> {
  const result = Buffer.alloc(length);
  for (let at = offset; at < offset + length;) {
    const index = Math.floor(at / blockSize);
    const within = at - index * blockSize;
    const take = Math.min(blockSize - within, offset + length - at);
    (await block(index)).copy(result, at - offset, within, within + take);
    at += take;
  }
  return result;
}
