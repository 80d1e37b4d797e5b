/** What a filesystem reader gives the checks: enough to walk paths, follow symlinks and read small files. */
export type NodeKind = 'file' | 'directory' | 'symlink' | 'other';

/** An inode (ext4, XFS) or a member path (tar), loaded. */
export interface FsNode {
  ref: number | string;
  kind: NodeKind;
  size: number;
}

export interface DirectoryEntry {
  name: string;
  ref: number | string;
}

export interface FileSystem {
  readonly type: 'ext4' | 'xfs' | 'tar';
  root(): Promise<FsNode>;
  load(ref: number | string): Promise<FsNode>;
  /** Entries other than "." and "..". */
  entries(directory: FsNode): Promise<DirectoryEntry[]>;
  /** The whole content of a file; callers check size against their limit first. */
  readFile(file: FsNode): Promise<Buffer>;
  readLink(link: FsNode): Promise<string>;
}
