import type { ByteReader } from '../source/byte-reader';
import { openExt4 } from './ext4/ext4-file-system';
import { isExt4 } from './ext4/ext4-superblock';
import type { FileSystem } from './file-system';
import { openXfs } from './xfs/xfs-file-system';
import { isXfs } from './xfs/xfs-superblock';

/** The filesystem in a partition, by its superblock's magic; undefined for one the inspector does not read. */
export async function openFileSystem(partition: ByteReader): Promise<FileSystem | undefined> {
  if (await isXfs(partition)) return openXfs(partition);
  if (await isExt4(partition)) return openExt4(partition);
  return undefined;
}
