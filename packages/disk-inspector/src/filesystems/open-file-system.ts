import { refuse } from '../inspection-error';
import type { ByteReader } from '../source/byte-reader';
import { openExt4 } from './ext4/ext4-file-system';
import { isExt4 } from './ext4/ext4-superblock';
import type { FileSystem } from './file-system';
import { openXfs } from './xfs/xfs-file-system';
import { isXfs } from './xfs/xfs-superblock';

/** The filesystem in a partition, by its superblock's magic; undefined for one the inspector does not read. */
export async function openFileSystem(partition: ByteReader): Promise<FileSystem | undefined> {
  const fileSystem = (await isXfs(partition))
    ? await openXfs(partition)
    : (await isExt4(partition))
      ? await openExt4(partition)
      : undefined;
  if (fileSystem) await checkRootDirectory(fileSystem);
  return fileSystem;
}

/** A filesystem whose root directory cannot be listed is unreadable as a whole, not check by check. */
async function checkRootDirectory(fileSystem: FileSystem): Promise<void> {
  const root = await fileSystem.root();
  refuse(root.kind === 'directory', `${fileSystem.type}: the root inode is no directory`);
  await fileSystem.entries(root);
}
