import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { LocalCatalogDisks } from '../domain/inspection/inspection-ports';

// Only what the image inspector reads of the local provider's catalog (the broker validates the rest).
const CatalogDisks = z.record(z.string(), z.looseObject({ disk: z.string().min(1).optional() }));

/** A disk file as it is now (size and modification time), or that it is not there: a change to it is a new version. */
async function fileVersion(file: string): Promise<string> {
  const found = await stat(file).catch(() => null);
  return found ? `${found.size}@${found.mtimeMs}` : 'missing';
}

/**
 * The disks the local provider's catalog names: image name → the absolute path of its disk image or rootfs tar
 * (a relative `disk` is relative to the catalog file), with the version of the catalog's disks (their paths, sizes and
 * modification times). Read on each call, so that an edited catalog or a disk put in place counts at the next triage;
 * a missing or malformed file is an error the triage job logs, not an empty catalog.
 */
export function createLocalCatalogDisks(catalogFile: string | null) {
  return async function localCatalogDisks(): Promise<LocalCatalogDisks> {
    if (!catalogFile) return { disks: new Map(), version: 'none' };
    const parsed = CatalogDisks.safeParse(JSON.parse(await readFile(catalogFile, 'utf8')));
    if (!parsed.success) throw new Error(`LOCAL_IMAGES_FILE ${catalogFile}: ${z.prettifyError(parsed.error)}`);
    const directory = path.dirname(path.resolve(catalogFile));
    const disks = new Map(
      Object.entries(parsed.data).flatMap(([name, image]) =>
        image.disk ? [[name, path.resolve(directory, image.disk)] as const] : [],
      ),
    );
    const versions = await Promise.all(
      [...disks]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(async ([name, disk]) => [name, disk, await fileVersion(disk)]),
    );
    return { disks, version: JSON.stringify(versions) };
  };
}
