import { posix } from 'node:path';
import { refuse } from '../inspection-error';
import { inspectionLimits } from '../limits';
import type { DirectoryEntry, FileSystem, FsNode } from './file-system';

export interface FoundFile {
  /** The path asked for, as the checks report it (/etc/os-release, not where its symlink led). */
  path: string;
  bytes: Buffer;
}

/**
 * Paths over a filesystem read in place: symlinks are followed inside the image's own root (an absolute target
 * starts again at the image's root, never the host's), at most inspectionLimits.symlinkHops of them.
 */
export class FileTree {
  private readonly directories = new Map<number | string, Promise<DirectoryEntry[]>>();

  constructor(readonly fileSystem: FileSystem) {}

  /** The node a path names, following symlinks; undefined when any component is missing. */
  async resolve(path: string): Promise<FsNode | undefined> {
    let pending = splitPath(path);
    let node = await this.fileSystem.root();
    const parents: FsNode[] = [];
    let hops = 0;
    while (pending.length > 0) {
      const [name, ...rest] = pending as [string, ...string[]];
      pending = rest;
      if (name === '..') {
        node = parents.pop() ?? node;
        continue;
      }
      if (node.kind !== 'directory') return undefined;
      const entry = (await this.entriesOf(node)).find((candidate) => candidate.name === name);
      if (!entry) return undefined;
      const child = await this.fileSystem.load(entry.ref);
      if (child.kind === 'symlink') {
        refuse(++hops <= inspectionLimits.symlinkHops, `too many symlinks resolving ${path}`);
        refuse(child.size <= inspectionLimits.symlinkTargetBytes, `a symlink target longer than PATH_MAX in ${path}`);
        const target = await this.fileSystem.readLink(child);
        pending = [...splitPath(target), ...pending];
        if (target.startsWith('/')) {
          node = await this.fileSystem.root();
          parents.length = 0;
        }
        continue;
      }
      parents.push(node);
      node = child;
    }
    return node;
  }

  /** A file's bytes; undefined when it is missing, not a regular file, or larger than maxBytes. */
  async readFile(path: string, maxBytes: number = inspectionLimits.smallFileBytes): Promise<FoundFile | undefined> {
    const node = await this.resolve(path);
    if (!node || node.kind !== 'file' || node.size > maxBytes) return undefined;
    return { path, bytes: await this.fileSystem.readFile(node) };
  }

  /** Names in a directory (sorted), or [] when it is missing. */
  async list(path: string): Promise<string[]> {
    const node = await this.resolve(path);
    if (!node || node.kind !== 'directory') return [];
    return (await this.entriesOf(node)).map((entry) => entry.name).sort();
  }

  private entriesOf(directory: FsNode): Promise<DirectoryEntry[]> {
    let entries = this.directories.get(directory.ref);
    if (!entries) {
      entries = this.fileSystem.entries(directory);
      this.directories.set(directory.ref, entries);
    }
    return entries;
  }
}

function splitPath(path: string): string[] {
  return posix
    .normalize(path)
    .split('/')
    .filter((part) => part !== '' && part !== '.');
}
