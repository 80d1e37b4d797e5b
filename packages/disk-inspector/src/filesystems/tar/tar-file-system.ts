import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { extract, type Header } from 'tar-stream';
import { refuse, UnreadableImageError } from '../../inspection-error';
import { inspectionLimits } from '../../limits';
import type { DirectoryEntry, FileSystem, FsNode } from '../file-system';

interface TarNode extends FsNode {
  ref: string;
  content?: Buffer;
  linkTarget?: string;
  children?: Map<string, string>;
}

/**
 * A rootfs tar, streamed once. Only what the checks read is kept in memory (small files under /etc and
 * /usr/lib, the rpm database); every member's path is normalised inside the archive's own root, so "../" and
 * absolute names cannot point anywhere else, and nothing is ever written to disk.
 */
export async function readTarFileSystem(stream: Readable, deadline: number): Promise<FileSystem> {
  const nodes = new Map<string, TarNode>([['/', directoryNode('/')]]);
  let keptBytes = 0;
  const archive = extract();
  stream.on('error', (error) => archive.destroy(error));
  stream.pipe(archive);
  try {
    for await (const entry of archive) {
      refuse(Date.now() < deadline, 'the inspection ran out of time');
      refuse(nodes.size <= inspectionLimits.tarMembers, 'tar: more members than a root filesystem has');
      const path = normalise(entry.header.name);
      const node = await nodeOf(entry.header, path, entry, nodes);
      if (node.content) {
        keptBytes += node.content.length;
        refuse(keptBytes <= inspectionLimits.tarKeptBytes, 'tar: more files to keep than the inspector holds');
      }
      if (path !== '/') add(nodes, path, node);
    }
  } catch (error) {
    if (error instanceof UnreadableImageError) throw error;
    throw new UnreadableImageError(`tar: ${(error as Error).message}`);
  } finally {
    stream.unpipe(archive);
    stream.destroy();
  }

  const lookup = (ref: number | string): Promise<TarNode> => {
    const node = nodes.get(String(ref));
    return node ? Promise.resolve(node) : Promise.reject(new UnreadableImageError(`tar: no member ${ref}`));
  };
  return {
    type: 'tar',
    root: () => lookup('/'),
    load: lookup,
    entries: async (directory): Promise<DirectoryEntry[]> =>
      [...((directory as TarNode).children ?? new Map<string, string>())].map(([name, ref]) => ({ name, ref })),
    readFile: async (file) => {
      const content = (file as TarNode).content;
      if (!content) throw new UnreadableImageError(`tar: ${file.ref} was not kept while streaming`);
      return content;
    },
    readLink: async (link) => (link as TarNode).linkTarget ?? '',
  };
}

/** A member's body as tar-stream gives it (a streamx Readable). */
type MemberBody = AsyncIterable<unknown> & { resume(): unknown };

async function nodeOf(header: Header, path: string, body: MemberBody, nodes: Map<string, TarNode>): Promise<TarNode> {
  const size = header.size ?? 0;
  switch (header.type) {
    case 'directory':
      body.resume();
      return nodes.get(path) ?? directoryNode(path);
    case 'symlink':
      body.resume();
      return { ref: path, kind: 'symlink', size: 0, linkTarget: header.linkname ?? '' };
    case 'link': {
      body.resume();
      const target = nodes.get(normalise(header.linkname ?? ''));
      return target?.kind === 'file' ? { ...target, ref: path } : { ref: path, kind: 'other', size: 0 };
    }
    case 'file':
    case 'contiguous-file': {
      const keep = isKept(path, size);
      const content = keep ? await collect(body) : (body.resume(), undefined);
      return { ref: path, kind: 'file', size, ...(content ? { content } : {}) };
    }
    default:
      body.resume();
      return { ref: path, kind: 'other', size: 0 };
  }
}

function isKept(path: string, size: number): boolean {
  if (/^\/(var\/lib\/rpm|usr\/lib\/sysimage\/rpm)\/[^/]+$/.test(path)) return size <= inspectionLimits.rpmDatabaseBytes;
  return (path.startsWith('/etc/') || path.startsWith('/usr/lib/')) && size <= inspectionLimits.smallFileBytes;
}

async function collect(body: MemberBody): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function directoryNode(path: string): TarNode {
  return { ref: path, kind: 'directory', size: 0, children: new Map() };
}

/** An archive member's path inside the archive's root: "./etc/x", "etc/x", "/etc/x" and "../../etc/x" are "/etc/x". */
function normalise(name: string): string {
  const path = posix.normalize(`/${name}`);
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** Puts a member in place, making the directories its path implies; a later member of the same path wins. */
function add(nodes: Map<string, TarNode>, path: string, node: TarNode): void {
  const existing = nodes.get(path);
  if (existing?.children && node.kind === 'directory') node.children = existing.children;
  nodes.set(path, node);
  let child = path;
  for (let parent = posix.dirname(child); ; parent = posix.dirname(parent)) {
    let directory = nodes.get(parent);
    if (!directory?.children) {
      directory = directoryNode(parent);
      nodes.set(parent, directory);
    }
    directory.children?.set(posix.basename(child), child);
    if (parent === '/') return;
    child = parent;
  }
}
